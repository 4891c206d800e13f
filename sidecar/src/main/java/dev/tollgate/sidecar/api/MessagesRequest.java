package dev.tollgate.sidecar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.api.ApiError;
import java.util.regex.Pattern;

/**
 * An Anthropic Messages API request ({@code POST /v1/messages}), validated on the fields the
 * gateway acts on; the body is kept whole for passthrough to Anthropic-type backends.
 */
public final class MessagesRequest extends BodyRequest {
    private static final Pattern BETA_NAMES = Pattern.compile("[A-Za-z0-9._\\-]+( *, *[A-Za-z0-9._\\-]+){0,31} *");

    private final long maxTokens;
    private final String anthropicBeta;

    private MessagesRequest(ObjectNode body, String anthropicBeta) {
        super(body);
        this.anthropicBeta = anthropicBeta;
        this.maxTokens = body.get("max_tokens").longValue();
    }

    /** Parses and validates; throws {@link ApiError} 400 with a message naming the bad field. */
    public static MessagesRequest parse(byte[] bytes) {
        ObjectNode body = RequestFields.parseObject(bytes);
        RequestFields.requireText(body, "model");
        RequestFields.require(body, "max_tokens", RequestFields::isPositiveInt, "a positive integer");
        RequestFields.optionalTokenLimit(body, "max_tokens");
        JsonNode messages = RequestFields.require(body, "messages", n -> n.isArray() && !n.isEmpty(), "a non-empty array");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").textValue();
            if (!message.isObject() || !("user".equals(role) || "assistant".equals(role))) {
                throw RequestFields.wrongType("messages[" + i + "]", "an object with role 'user' or 'assistant'");
            }
            JsonNode content = message.get("content");
            if (content == null || !(content.isTextual() || content.isArray())) {
                throw RequestFields.wrongType("messages[" + i + "].content", "a string or an array of content blocks");
            }
        }
        RequestFields.optional(body, "system", n -> n.isTextual() || n.isArray(), "a string or an array of text blocks");
        RequestFields.optional(body, "stream", JsonNode::isBoolean, "a boolean");
        RequestFields.optional(body, "metadata", JsonNode::isObject, "an object");
        return new MessagesRequest(body, null);
    }

    /**
     * The same request with the client's {@code anthropic-beta} header, which Anthropic-type backends
     * receive with it (features still in beta are switched on that way); null or absent is none.
     */
    public MessagesRequest withAnthropicBeta(String header) {
        if (header == null || header.isBlank()) {
            return this;
        }
        if (!BETA_NAMES.matcher(header).matches()) {
            throw ApiError.badRequest("invalid_header", "The anthropic-beta header must be a comma-separated list of beta names.");
        }
        return new MessagesRequest(body(), header.trim());
    }

    /** The client's anthropic-beta header, or null. */
    public String anthropicBeta() {
        return anthropicBeta;
    }

    @Override
    public long promptTokens(TokenCounter counter) {
        return counter.estimateTreeTokens(body().get("system")) + counter.estimateTreeTokens(body().get("messages"))
                + counter.estimateTreeTokens(body().get("tools"));
    }

    /** Anthropic requires {@code max_tokens}, so it is always known. */
    @Override
    public Long maxTokens() {
        return maxTokens;
    }

    /** Anthropic's end-user field is {@code metadata.user_id}. */
    @Override
    public String user() {
        return body().path("metadata").path("user_id").textValue();
    }
}
