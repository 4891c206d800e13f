package dev.tollgate.sidecar.provider.gemini;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import java.util.Optional;

/** The Gemini API on Google AI ({@code generativelanguage.googleapis.com}), authenticated by an API key. */
public final class GeminiAdapter implements ProviderAdapter {
    private final GoogleAiEndpoint endpoint = new GoogleAiEndpoint();
    private final GeminiChat chat = new GeminiChat(endpoint);
    private final GeminiEmbeddings embeddings = new GeminiEmbeddings(endpoint);

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return chat;
    }

    /** Gemini's embedding models (gemini-embedding-001, text-embedding-004) share the account with its chat models. */
    @Override
    public Optional<ApiAdapter<EmbeddingsRequest>> embeddings(String upstreamModel) {
        return Optional.of(embeddings);
    }

    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        return GoogleErrors.failure(status, retryAfter, body, provider);
    }
}
