package dev.tollgate.sidecar.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import dev.tollgate.sidecar.api.ResponsesRequest;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.openai.OpenAiAdapter;
import java.util.Optional;

/**
 * Azure OpenAI: OpenAI's request and answer bodies at Azure's URLs ({@link AzureEndpoints}). Azure's
 * extra fields ({@code prompt_filter_results}, {@code content_filter_results}) and a
 * {@code finish_reason} of {@code content_filter} pass through untouched. Errors have OpenAI's shape
 * and are classified the same way, except a prompt Azure's content filter blocked (the client's to
 * change) and a deployment that does not exist (our configuration: another backend may serve).
 */
public final class AzureOpenAiAdapter implements ProviderAdapter {
    private final OpenAiAdapter openAi = new OpenAiAdapter(new AzureEndpoints());

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return openAi.chat();
    }

    @Override
    public Optional<ApiAdapter<EmbeddingsRequest>> embeddings(String upstreamModel) {
        return openAi.embeddings(upstreamModel);
    }

    @Override
    public Optional<ApiAdapter<ResponsesRequest>> responses(String upstreamModel) {
        return openAi.responses(upstreamModel);
    }

    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        JsonNode error = UpstreamJson.at(body, "/error");
        if (status == 400 && ContentFilterResult.isBlocked(error)) {
            return new UpstreamFailure(FailureClass.CLIENT_ERROR, status, null,
                    "the prompt was blocked by Azure OpenAI's content filter (" + ContentFilterResult.describe(error) + ")");
        }
        if (status == 404 && "DeploymentNotFound".equals(error.path("code").asText())) {
            return new UpstreamFailure(FailureClass.SERVER_ERROR, status, null, "provider '" + provider.id()
                    + "' has no deployment named by this backend's model (upstream status 404)");
        }
        return openAi.failure(status, retryAfter, body, provider);
    }
}
