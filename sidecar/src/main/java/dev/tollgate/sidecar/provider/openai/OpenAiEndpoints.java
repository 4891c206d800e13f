package dev.tollgate.sidecar.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a provider speaking OpenAI's wire format serves each API and how it takes the key. The
 * bodies are the same everywhere; only the URL, the auth header and where the model is named differ
 * (OpenAI: {@code {base}/chat/completions}, bearer key, model in the body; Azure: per-deployment URLs).
 */
public interface OpenAiEndpoints {
    URI uri(OpenAiApi api, String upstreamModel, ProviderConfig provider);

    /** Whether the body names the model; when not, the URL does and the body's model is dropped. */
    boolean modelInBody(OpenAiApi api);

    /** Adds the header that carries the provider key. */
    void authorize(Map<String, String> headers, ProviderConfig provider);

    /** The request for one API: {@code body} (already a copy the caller may change) with the model put where it belongs. */
    default UpstreamRequest request(OpenAiApi api, ObjectNode body, String upstreamModel, ProviderConfig provider,
                                    boolean stream) {
        if (modelInBody(api)) {
            body.put("model", upstreamModel);
        } else {
            body.remove("model");
        }
        Map<String, String> headers = new LinkedHashMap<>(provider.headers());
        headers.put("Content-Type", "application/json");
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        if (provider.apiKey() != null && !provider.apiKey().isEmpty()) {
            authorize(headers, provider);
        }
        return new UpstreamRequest(uri(api, upstreamModel, provider), headers, UpstreamJson.toBytes(body));
    }
}
