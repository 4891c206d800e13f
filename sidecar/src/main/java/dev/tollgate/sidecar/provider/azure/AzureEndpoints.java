package dev.tollgate.sidecar.provider.azure;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.openai.OpenAiApi;
import dev.tollgate.sidecar.provider.openai.OpenAiEndpoints;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Azure OpenAI's addressing. The base URL is the resource endpoint ({@code https://NAME.openai.azure.com});
 * the backend's model is the deployment name. Chat and embeddings go to the deployment's URL with a
 * dated {@code api-version} and no model in the body; the Responses API exists only in Azure's v1
 * API ({@code /openai/v1/responses}, no api-version), which takes the deployment as {@code model}.
 * The key goes in the {@code api-key} header.
 */
final class AzureEndpoints implements OpenAiEndpoints {
    /** The latest GA data-plane version Azure documents for chat and embeddings; {@code options.apiVersion} overrides it. */
    static final String DEFAULT_API_VERSION = "2024-10-21";

    @Override
    public URI uri(OpenAiApi api, String deployment, ProviderConfig provider) {
        String base = provider.effectiveBaseUrl();
        if (api == OpenAiApi.RESPONSES) {
            return URI.create(base + "/openai/v1/responses");
        }
        String version = provider.options().getOrDefault("apiVersion", DEFAULT_API_VERSION);
        return URI.create(base + "/openai/deployments/" + encode(deployment) + "/" + api.path()
                + "?api-version=" + encode(version));
    }

    @Override
    public boolean modelInBody(OpenAiApi api) {
        return api == OpenAiApi.RESPONSES;
    }

    @Override
    public void authorize(Map<String, String> headers, ProviderConfig provider) {
        headers.put("api-key", provider.apiKey());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
