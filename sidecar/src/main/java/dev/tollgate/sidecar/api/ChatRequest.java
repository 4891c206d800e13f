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
    private final boolean clientWantsUsage;
    private final Long maxTokens;

    private ChatRequest(ObjectNode body) {
        super(body);
        this.clientWantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        this.maxTokens = max == null || max.isNull() ? null : max.longValue();
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
        RequestFields.optional(body, "max_tokens", RequestFields::isPositiveInt, "a positive integer");
        RequestFields.optional(body, "max_completion_tokens", RequestFields::isPositiveInt, "a positive integer");
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
}
