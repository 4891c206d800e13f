package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON to and from providers, shared by every adapter: one mapper, and one way to reject a broken answer. */
public final class UpstreamJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private UpstreamJson() {
    }

    /** A provider's answer as a JSON object, or {@link InvalidUpstreamResponse}. */
    public static JsonNode parseObject(byte[] body) {
        try {
            JsonNode tree = MAPPER.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new InvalidUpstreamResponse("the provider's answer is not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new InvalidUpstreamResponse("the provider's answer is not valid JSON");
        }
    }

    public static JsonNode parseObject(String data) {
        return parseObject(data.getBytes(StandardCharsets.UTF_8));
    }

    /** The list at {@code field} of a provider's answer: empty when absent or null, {@link InvalidUpstreamResponse} when not a list. */
    public static JsonNode array(JsonNode answer, String field) {
        JsonNode value = answer.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return MAPPER.createArrayNode();
        }
        if (!value.isArray()) {
            throw new InvalidUpstreamResponse("the provider's '" + field + "' is not a list");
        }
        return value;
    }

    /** An error body's text at the given JSON pointer (e.g. {@code /error/message}), or null. */
    public static String textAt(byte[] body, String pointer) {
        JsonNode node = at(body, pointer);
        return node.isTextual() ? node.textValue() : null;
    }

    /** An error body's node at the given JSON pointer (e.g. {@code /error}); missing when absent or the body is not JSON. */
    public static JsonNode at(byte[] body, String pointer) {
        try {
            JsonNode tree = MAPPER.readTree(body);
            return tree == null ? MAPPER.missingNode() : tree.at(pointer);
        } catch (IOException e) {
            return MAPPER.missingNode();
        }
    }

    /** The text as a JSON object (tool-call arguments, a tool's result), or null when it is not one. */
    public static JsonNode objectOrNull(String text) {
        try {
            JsonNode parsed = MAPPER.readTree(text);
            return parsed != null && parsed.isObject() ? parsed : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    public static byte[] toBytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
