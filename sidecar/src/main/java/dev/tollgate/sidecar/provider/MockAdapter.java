package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.config.ProviderConfig;
import java.util.Optional;

/**
 * The built-in mock provider's API: it answers chat completions only (in OpenAI's schema, through
 * the given chat adapter); /v1/messages reaches it translated to chat, other APIs are not served.
 */
final class MockAdapter implements ProviderAdapter {
    private final ProviderAdapter openAi;

    MockAdapter(ProviderAdapter openAi) {
        this.openAi = openAi;
    }

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return openAi.chat();
    }

    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        return openAi.failure(status, retryAfter, body, provider);
    }
}
