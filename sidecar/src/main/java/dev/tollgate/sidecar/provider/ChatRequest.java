package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.server.ApiError;
import java.io.IOException;

/**
 * An OpenAI chat-completions request, validated on the fields the gateway acts on. The body is
 * kept as a tree so adapters translate it faithfully, unknown fields included.
 */
public final class ChatRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode body;
    private final String model;
    private final boolean stream;
    private final boolean clientWantsUsage;
    private final Long maxTokens;
    private final String user;

    private ChatRequest(ObjectNode body) {
        this.body = body;
        this.model = body.get("model").textValue();
        this.stream = body.path("stream").asBoolean(false);
        this.clientWantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        this.maxTokens = max == null || max.isNull() ? null : max.longValue();
        this.user = body.path("user").textValue();
    }

    /** Parses and validates; throws {@link ApiError} 400 with a message naming the bad field. */
    public static ChatRequest parse(byte[] bytes) {
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "The request body could not be read.");
        }
        if (tree == null || !tree.isObject()) {
            throw ApiError.badRequest("invalid_json", "The request body must be a JSON object.");
        }
        ObjectNode body = (ObjectNode) tree;
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw missing("model");
        }
        if (!model.isTextual() || model.textValue().isBlank()) {
            throw wrongType("model", "a non-empty string");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw missing("messages");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw wrongType("messages", "a non-empty array");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw wrongType("messages[" + i + "]", "an object with a string 'role'");
            }
        }
        requireType(body, "stream", JsonNode::isBoolean, "a boolean");
        requireType(body, "stream_options", JsonNode::isObject, "an object");
        requireType(body, "max_tokens", ChatRequest::isPositiveInt, "a positive integer");
        requireType(body, "max_completion_tokens", ChatRequest::isPositiveInt, "a positive integer");
        requireType(body, "user", JsonNode::isTextual, "a string");
        return new ChatRequest(body);
    }

    private static boolean isPositiveInt(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() && n.longValue() > 0;
    }

    private static void requireType(ObjectNode body, String field, java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !ok.test(value)) {
            throw wrongType(field, what);
        }
    }

    private static ApiError missing(String field) {
        return new ApiError(400, "invalid_request_error", "missing_required_parameter",
                "Missing required parameter: '" + field + "'.");
    }

    private static ApiError wrongType(String field, String what) {
        return new ApiError(400, "invalid_request_error", "invalid_type",
                "Invalid type for '" + field + "': expected " + what + ".");
    }

    /** The original body; adapters copy it before changing anything. */
    public ObjectNode body() {
        return body;
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** Whether the client itself asked for the usage chunk (the gateway always asks upstream). */
    public boolean clientWantsUsage() {
        return clientWantsUsage;
    }

    /** max_completion_tokens or max_tokens; null when the client set neither. */
    public Long maxTokens() {
        return maxTokens;
    }

    public String user() {
        return user;
    }
}
