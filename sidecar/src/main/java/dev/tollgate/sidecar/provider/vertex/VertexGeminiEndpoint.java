package dev.tollgate.sidecar.provider.vertex;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.gemini.GeminiEndpoint;
import dev.tollgate.sidecar.provider.gemini.GeminiModels;
import java.net.URI;
import java.util.Map;

/** Gemini on Vertex AI: Google's publisher models in the project's location; the bearer token comes from the transport. */
final class VertexGeminiEndpoint implements GeminiEndpoint {

    @Override
    public URI uri(ProviderConfig provider, String model, String method) {
        return VertexModelPath.uri(provider, "google", GeminiModels.bare(model), method);
    }

    @Override
    public Map<String, String> headers(ProviderConfig provider) {
        return Map.of();
    }
}
