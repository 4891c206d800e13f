package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import java.net.URI;
import java.util.Map;

/**
 * Where and how Anthropic's Messages API is reached. The translation (requests, answers, streams,
 * usage, errors) is the same for Anthropic's own API and for Claude on a cloud such as Vertex AI;
 * only the URL, the authentication and a few body fields differ, and those live here.
 * {@code new AnthropicAdapter(endpoint)} serves every client API through one.
 */
public interface AnthropicEndpoint {
    /** The URL a Messages request for this model is POSTed to (streamed or not). */
    URI uri(ProviderConfig provider, String upstreamModel, boolean stream);

    /** Authentication and API-version headers; the adapter adds content type and the provider's own headers. */
    Map<String, String> headers(ProviderConfig provider);

    /** Puts the model and API version into a Messages body (a copy the adapter owns) the way this endpoint expects. */
    void prepareBody(ObjectNode body, String upstreamModel);
}
