package dev.tollgate.sidecar.provider.gemini;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.ChatRequest;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import java.util.Optional;

/** The Gemini API on Google AI ({@code generativelanguage.googleapis.com}), authenticated by an API key. */
public final class GeminiAdapter implements ProviderAdapter {
    private final GeminiChat chat = new GeminiChat(new GoogleAiEndpoint());

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return chat;
    }

    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        return GoogleErrors.failure(status, retryAfter, body, provider);
    }
}
