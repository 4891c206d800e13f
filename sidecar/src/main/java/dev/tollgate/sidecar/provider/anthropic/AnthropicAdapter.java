package dev.tollgate.sidecar.provider.anthropic;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.MessagesRequest;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import dev.tollgate.sidecar.provider.RetryAfter;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.StatusFailures;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.util.Optional;

/**
 * Anthropic's Messages API family: OpenAI chat translated to and from it, {@code /v1/messages}
 * passed through. The endpoint says where Claude is reached (Anthropic's API, or a cloud's).
 */
public final class AnthropicAdapter implements ProviderAdapter {
    private final AnthropicChat chat;
    private final AnthropicMessages messages;

    /** Anthropic's own API. */
    public AnthropicAdapter() {
        this(new AnthropicApi());
    }

    public AnthropicAdapter(AnthropicEndpoint endpoint) {
        this.chat = new AnthropicChat(endpoint);
        this.messages = new AnthropicMessages(endpoint);
    }

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return chat;
    }

    @Override
    public Optional<ApiAdapter<MessagesRequest>> messages(String upstreamModel) {
        return Optional.of(messages);
    }

    /**
     * Anthropic's error body is {@code {"type":"error","error":{"type","message"}}}. Its statuses mean
     * what {@link StatusFailures} says (401, 403 and 402 billing are the gateway's account; 529
     * overloaded, like every 5xx, is retryable); its message is prefixed with the error type.
     */
    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        String type = UpstreamJson.textAt(body, "/error/type");
        String message = Secrets.scrub(UpstreamJson.textAt(body, "/error/message"), provider);
        String detail = message == null || type == null ? message : type + ": " + message;
        return StatusFailures.classify(status, RetryAfter.toMillis(retryAfter), detail, provider);
    }
}
