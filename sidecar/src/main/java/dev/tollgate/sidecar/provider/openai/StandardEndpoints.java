package dev.tollgate.sidecar.provider.openai;

import dev.tollgate.sidecar.config.ProviderConfig;
import java.net.URI;
import java.util.Map;

/** OpenAI and every OpenAI-compatible provider: {@code {base}/{api path}}, a bearer key, the model in the body. */
final class StandardEndpoints implements OpenAiEndpoints {

    @Override
    public URI uri(OpenAiApi api, String upstreamModel, ProviderConfig provider) {
        return URI.create(provider.effectiveBaseUrl() + "/" + api.path());
    }

    @Override
    public boolean modelInBody(OpenAiApi api) {
        return true;
    }

    @Override
    public void authorize(Map<String, String> headers, ProviderConfig provider) {
        headers.put("Authorization", "Bearer " + provider.apiKey());
    }
}
