package dev.tollgate.sidecar.provider.vertex;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.anthropic.AnthropicEndpoint;
import java.net.URI;
import java.util.Map;

/**
 * Claude on Vertex AI ("Use Claude models on Vertex AI"): Anthropic's publisher models, {@code rawPredict}
 * for an answer and {@code streamRawPredict} for a stream. The model is in the URL, not the body, and
 * the API version is a body field; the bearer token comes from the transport.
 */
final class VertexClaudeEndpoint implements AnthropicEndpoint {
    /** The only Messages API version Vertex AI accepts for Claude. */
    static final String VERSION = "vertex-2023-10-16";

    @Override
    public URI uri(ProviderConfig provider, String upstreamModel, boolean stream) {
        return VertexModelPath.uri(provider, "anthropic", upstreamModel, stream ? "streamRawPredict" : "rawPredict");
    }

    @Override
    public Map<String, String> headers(ProviderConfig provider) {
        return Map.of();
    }

    @Override
    public void prepareBody(ObjectNode body, String upstreamModel) {
        // A passed-through body names the client's model alias; Vertex rejects a body that names any.
        body.remove("model");
        body.put("anthropic_version", VERSION);
    }
}
