package dev.tollgate.sidecar.provider.vertex;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.api.MessagesRequest;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.anthropic.AnthropicAdapter;
import dev.tollgate.sidecar.provider.gemini.GeminiChat;
import dev.tollgate.sidecar.provider.gemini.GoogleErrors;
import java.util.Locale;
import java.util.Optional;

/**
 * Vertex AI: Gemini models through the same translation as Google AI, and Claude models
 * ({@code claude-*}) through the same one as Anthropic's API, both at the project's regional
 * endpoint. Authentication is the transport's ({@link ServiceAccountTokens}): a service account's
 * OAuth token, never a key in the request.
 */
public final class VertexAdapter implements ProviderAdapter {
    private final GeminiChat gemini = new GeminiChat(new VertexGeminiEndpoint());
    private final AnthropicAdapter claude = new AnthropicAdapter(new VertexClaudeEndpoint());
    private final VertexEmbeddings embeddings = new VertexEmbeddings();

    /** Anthropic's models on Vertex are named {@code claude-…@date}; every other model here is Google's. */
    static boolean isClaude(String upstreamModel) {
        return upstreamModel.toLowerCase(Locale.ROOT).startsWith("claude-");
    }

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return gemini;
    }

    @Override
    public ApiAdapter<ChatRequest> chat(String upstreamModel) {
        return isClaude(upstreamModel) ? claude.chat() : gemini;
    }

    /** Claude takes {@code /v1/messages} as it is; Gemini gets it translated to chat by the gateway. */
    @Override
    public Optional<ApiAdapter<MessagesRequest>> messages(String upstreamModel) {
        return isClaude(upstreamModel) ? claude.messages(upstreamModel) : Optional.empty();
    }

    /** Claude has no embedding models. */
    @Override
    public Optional<ApiAdapter<EmbeddingsRequest>> embeddings(String upstreamModel) {
        return isClaude(upstreamModel) ? Optional.empty() : Optional.of(embeddings);
    }

    /**
     * Vertex's own refusals (quota, permissions) come in Google's error shape; Claude's come in
     * Anthropic's ({@code {"type":"error","error":{"type","message"}}}). Both keep the message at
     * {@code /error/message}, and the status decides the class, so one reading serves both.
     */
    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        return GoogleErrors.failure(status, retryAfter, body, provider);
    }
}
