package dev.tollgate.sidecar.provider.openai;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import dev.tollgate.sidecar.api.ResponsesRequest;
import dev.tollgate.sidecar.provider.RetryAfter;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.StatusFailures;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.util.Optional;

/**
 * OpenAI's API family, spoken by OpenAI and every OpenAI-compatible provider: chat completions,
 * embeddings and the Responses API. A compatible provider without one of them answers 404, which
 * the client sees as the provider's refusal.
 */
public final class OpenAiAdapter implements ProviderAdapter {
    private final OpenAiChat chat;
    private final OpenAiEmbeddings embeddings;
    private final OpenAiResponses responses;

    /** OpenAI's own addressing: {@code {base}/chat/completions} and so on, with a bearer key. */
    public OpenAiAdapter() {
        this(new StandardEndpoints());
    }

    /** The same APIs at another provider's URLs and auth header (Azure OpenAI). */
    public OpenAiAdapter(OpenAiEndpoints endpoints) {
        this.chat = new OpenAiChat(endpoints);
        this.embeddings = new OpenAiEmbeddings(endpoints);
        this.responses = new OpenAiResponses(endpoints);
    }

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return chat;
    }

    @Override
    public Optional<ApiAdapter<EmbeddingsRequest>> embeddings(String upstreamModel) {
        return Optional.of(embeddings);
    }

    @Override
    public Optional<ApiAdapter<ResponsesRequest>> responses(String upstreamModel) {
        return Optional.of(responses);
    }

    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        return StatusFailures.classify(status, RetryAfter.toMillis(retryAfter),
                Secrets.scrub(UpstreamJson.textAt(body, "/error/message"), provider), provider);
    }
}
