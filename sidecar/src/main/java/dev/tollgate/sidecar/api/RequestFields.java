package dev.tollgate.sidecar.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.api.ApiError;
import java.io.IOException;
import java.util.function.Predicate;

/** Parsing and field checks every client API's request shares; each failure is a 400 naming the field. */
public final class RequestFields {
    /** A body is one JSON value: anything but whitespace after it ({@code {...}}}, {@code {...}{...}}) is refused. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestFields() {
    }

    /** The body as a JSON object, or a 400 saying why it is not one (JSON is UTF-8, and one value only). */
    public static ObjectNode parseObject(byte[] bytes) {
        int invalid = StrictUtf8.firstInvalidByte(bytes);
        if (invalid >= 0) {
            throw ApiError.badRequest("invalid_json", "The request body is not valid UTF-8 (at byte " + invalid + ").");
        }
        JsonNode tree;
        try (JsonParser parser = JSON.createParser(bytes)) {
            tree = JSON.readTree(parser);
            // One value only: {..}{..} or {..}} is refused in words a client can act on.
            if (tree != null && parser.nextToken() != null) {
                throw ApiError.badRequest("invalid_json",
                        "The request body has content after its JSON value: send exactly one JSON object.");
            }
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "The request body could not be read.");
        }
        if (tree == null || !tree.isObject()) {
            throw ApiError.badRequest("invalid_json", "The request body must be a JSON object.");
        }
        return (ObjectNode) tree;
    }

    /** The field's value: present, not null, and of the expected type. */
    public static JsonNode require(ObjectNode body, String field, Predicate<JsonNode> ok, String what) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw missing(field);
        }
        if (!ok.test(value)) {
            throw wrongType(field, what);
        }
        return value;
    }

    /** A required, non-blank string such as {@code model}. */
    public static String requireText(ObjectNode body, String field) {
        return require(body, field, n -> n.isTextual() && !n.textValue().isBlank(), "a non-empty string").textValue();
    }

    /** An optional field: absent and null pass, anything else must be of the expected type. */
    public static void optional(ObjectNode body, String field, Predicate<JsonNode> ok, String what) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !ok.test(value)) {
            throw wrongType(field, what);
        }
    }

    /**
     * An optional array inside the body (a message's {@code tool_calls}, say): absent or null is an
     * empty one, anything but an array a 400 naming {@code at}.
     */
    public static ArrayNode optionalArray(JsonNode value, String at) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return JSON.createArrayNode();
        }
        if (!value.isArray()) {
            throw wrongType(at, "an array");
        }
        return (ArrayNode) value;
    }

    /**
     * The most output tokens any request may ask for, whatever the model: above every model's limit (the largest
     * known is 2M), and small enough that a worst case of it times {@link ChatRequest#MAX_CHOICES} answers stays
     * far from overflowing.
     */
    public static final long MAX_OUTPUT_TOKENS = 10_000_000;

    /**
     * An optional output-token limit ({@code max_tokens} and its siblings): a positive integer no model would
     * refuse for its size alone, at most {@link #MAX_OUTPUT_TOKENS}.
     */
    public static void optionalTokenLimit(ObjectNode body, String field) {
        optional(body, field, RequestFields::isPositiveInt, "a positive integer");
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && value.longValue() > MAX_OUTPUT_TOKENS) {
            throw tooLarge(field, value.longValue(), MAX_OUTPUT_TOKENS, "no model produces more output tokens");
        }
    }

    /** A number larger than anything that can serve it: 400 naming the field, its value and the limit. */
    public static ApiError tooLarge(String field, long value, long limit, String why) {
        return new ApiError(400, "invalid_request_error", "invalid_value",
                "Invalid value for '" + field + "': " + value + " is above " + limit + " (" + why + ").");
    }

    public static boolean isPositiveInt(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() && n.longValue() > 0;
    }

    public static ApiError missing(String field) {
        return new ApiError(400, "invalid_request_error", "missing_required_parameter",
                "Missing required parameter: '" + field + "'.");
    }

    public static ApiError wrongType(String field, String what) {
        return new ApiError(400, "invalid_request_error", "invalid_type",
                "Invalid type for '" + field + "': expected " + what + ".");
    }
}
