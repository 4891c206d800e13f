package dev.tollgate.sidecar.provider.gemini;

import dev.tollgate.sidecar.config.ProviderConfig;
import java.net.URI;
import java.util.Map;

/**
 * The Gemini API on Google AI: {@code {baseUrl}/v1beta/models/{model}:{method}}, the key in the
 * {@code x-goog-api-key} header (never in the URL, where proxies and access logs would keep it).
 */
public final class GoogleAiEndpoint implements GeminiEndpoint {

    @Override
    public URI uri(ProviderConfig provider, String model, String method) {
        return URI.create(provider.effectiveBaseUrl() + "/v1beta/models/" + GeminiModels.bare(model) + ":" + method);
    }

    @Override
    public Map<String, String> headers(ProviderConfig provider) {
        return provider.apiKey() == null || provider.apiKey().isEmpty() ? Map.of() : Map.of("x-goog-api-key", provider.apiKey());
    }
}
