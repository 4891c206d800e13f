package dev.tollgate.sidecar.provider.vertex;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.ChatRequest;
import dev.tollgate.sidecar.provider.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.gemini.GeminiChat;
import dev.tollgate.sidecar.provider.gemini.GoogleErrors;
import java.util.Optional;

/**
 * Vertex AI: Gemini models through the same translation as Google AI, at the project's regional
 * endpoint. Authentication is the transport's ({@link ServiceAccountTokens}): a service account's
 * OAuth token, never a key in the request.
 */
public final class VertexAdapter implements ProviderAdapter {
    private final GeminiChat chat = new GeminiChat(new VertexGeminiEndpoint());
    private final VertexEmbeddings embeddings = new VertexEmbeddings();

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return chat;
    }

    @Override
    public Optional<ApiAdapter<EmbeddingsRequest>> embeddings(String upstreamModel) {
        return Optional.of(embeddings);
    }

    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        return GoogleErrors.failure(status, retryAfter, body, provider);
    }
}
