package dev.tollgate.sidecar.provider.gemini;

import dev.tollgate.sidecar.config.ProviderConfig;
import java.net.URI;
import java.util.Map;

/**
 * Where and how Gemini's model methods ({@code generateContent}, {@code streamGenerateContent},
 * embeddings) are reached. The bodies are the same on Google AI and on Vertex AI; only the URL and
 * the authentication differ, and those live here.
 */
public interface GeminiEndpoint {
    /** The URL of {@code method} (e.g. {@code generateContent}, {@code streamGenerateContent?alt=sse}) of a model. */
    URI uri(ProviderConfig provider, String model, String method);

    /** Authentication headers; the adapter adds content type, accept and the provider's own headers. */
    Map<String, String> headers(ProviderConfig provider);
}
