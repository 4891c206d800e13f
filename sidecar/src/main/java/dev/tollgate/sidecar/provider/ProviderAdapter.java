package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.api.MessagesRequest;
import dev.tollgate.sidecar.api.ResponsesRequest;
import dev.tollgate.sidecar.config.ProviderConfig;
import java.util.Optional;

/**
 * One provider API family. Every family serves OpenAI chat completions; the other client APIs
 * are served where the family has them (empty: this backend cannot serve it and is skipped).
 * {@code upstreamModel} matters where one account hosts several model families (Vertex, Bedrock).
 */
public interface ProviderAdapter {
    ApiAdapter<ChatRequest> chat();

    /** Chat for one upstream model, where one account hosts several model families (Claude and Gemini on Vertex). */
    default ApiAdapter<ChatRequest> chat(String upstreamModel) {
        return chat();
    }

    /** Anthropic's Messages API natively (passthrough); empty means it is served by translating to chat. */
    default Optional<ApiAdapter<MessagesRequest>> messages(String upstreamModel) {
        return Optional.empty();
    }

    default Optional<ApiAdapter<EmbeddingsRequest>> embeddings(String upstreamModel) {
        return Optional.empty();
    }

    default Optional<ApiAdapter<ResponsesRequest>> responses(String upstreamModel) {
        return Optional.empty();
    }

    /** Classifies a non-2xx answer; the message must be safe to show the client. */
    UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider);

    /** A fresh parser for how this family frames a streamed answer; server-sent events unless it says otherwise. */
    default EventParser events() {
        return new SseParser();
    }
}
