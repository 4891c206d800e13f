package dev.tollgate.sidecar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.api.ApiError;

/**
 * An OpenAI chat-completions request, validated on the fields the gateway acts on. The body is
 * kept as a tree so adapters translate it faithfully, unknown fields included.
 */
public final class ChatRequest extends BodyRequest {
    /** OpenAI's own limit on {@code n}; Gemini, which takes it as {@code candidateCount}, allows fewer. */
    public static final int MAX_CHOICES = 128;
    private static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";
    private static final String MAX_TOKENS = "max_tokens";
    private static final String N = "n";

    private final boolean clientWantsUsage;
    private final Long maxTokens;

    private ChatRequest(ObjectNode body) {
        super(body);
        this.clientWantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        JsonNode max = body.get(maxTokensField(body));
        this.maxTokens = max == null || max.isNull() ? null : max.longValue();
    }

    /** max_completion_tokens when set (OpenAI's newer name), else max_tokens. */
    private static String maxTokensField(ObjectNode body) {
        return body.hasNonNull(MAX_COMPLETION_TOKENS) ? MAX_COMPLETION_TOKENS : MAX_TOKENS;
    }

    /** Parses and validates; throws {@link ApiError} 400 with a message naming the bad field. */
    public static ChatRequest parse(byte[] bytes) {
        ObjectNode body = RequestFields.parseObject(bytes);
        RequestFields.requireText(body, "model");
        JsonNode messages = RequestFields.require(body, "messages", n -> n.isArray() && !n.isEmpty(), "a non-empty array");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw RequestFields.wrongType("messages[" + i + "]", "an object with a string 'role'");
            }
        }
        RequestFields.optional(body, "stream", JsonNode::isBoolean, "a boolean");
        RequestFields.optional(body, "stream_options", JsonNode::isObject, "an object");
        RequestFields.optionalTokenLimit(body, MAX_TOKENS);
        RequestFields.optionalTokenLimit(body, MAX_COMPLETION_TOKENS);
        RequestFields.optional(body, N, n -> RequestFields.isPositiveInt(n) && n.longValue() <= MAX_CHOICES,
                "an integer from 1 to " + MAX_CHOICES);
        RequestFields.optional(body, "user", JsonNode::isTextual, "a string");
        return new ChatRequest(body);
    }

    /** A request the gateway built itself from another client API (already checked there); no validation. */
    public static ChatRequest of(ObjectNode body) {
        return new ChatRequest(body);
    }

    @Override
    public long promptTokens(TokenCounter counter) {
        return counter.estimatePromptTokens(body());
    }

    /** Whether the client itself asked for the usage chunk (the gateway always asks upstream). */
    public boolean clientWantsUsage() {
        return clientWantsUsage;
    }

    /** max_completion_tokens or max_tokens; null when the client set neither. */
    @Override
    public Long maxTokens() {
        return maxTokens;
    }

    @Override
    public String maxTokensField() {
        return maxTokensField(body());
    }

    /** {@code n}: that many choices, each up to {@link #maxTokens()} long (Gemini's {@code candidateCount}). */
    @Override
    public long answers() {
        return body().hasNonNull(N) ? body().get(N).longValue() : 1;
    }
}
