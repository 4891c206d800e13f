package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Anthropic's own API: {@code POST {baseUrl}/v1/messages}, the key in {@code x-api-key}, the version as a header. */
public final class AnthropicApi implements AnthropicEndpoint {
    /** The only Messages API version Anthropic has published; newer features come as anthropic-beta headers. */
    public static final String VERSION = "2023-06-01";

    @Override
    public URI uri(ProviderConfig provider, String upstreamModel, boolean stream) {
        return URI.create(provider.effectiveBaseUrl() + "/v1/messages");
    }

    @Override
    public Map<String, String> headers(ProviderConfig provider) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (provider.apiKey() != null && !provider.apiKey().isEmpty()) {
            headers.put("x-api-key", provider.apiKey());
        }
        headers.put("anthropic-version", VERSION);
        return headers;
    }

    @Override
    public void prepareBody(ObjectNode body, String upstreamModel) {
        body.put("model", upstreamModel);
    }
}
