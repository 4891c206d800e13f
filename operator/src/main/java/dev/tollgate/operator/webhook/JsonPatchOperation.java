package dev.tollgate.operator.webhook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One RFC 6902 operation. The webhook only adds: to a member (created or replaced), at an array
 * index (inserted before what is there) or at {@code -} (appended). Paths are built with
 * {@link JsonPointer#appendProperty}, which escapes {@code /} as {@code ~1} and {@code ~} as {@code ~0}.
 */
public record JsonPatchOperation(String op, String path, JsonNode value) {

    static JsonPatchOperation add(JsonPointer path, JsonNode value) {
        return new JsonPatchOperation("add", path.toString(), value);
    }

    /** A pointer from the document root through these member names. */
    static JsonPointer pointer(String... names) {
        JsonPointer pointer = JsonPointer.empty();
        for (String name : names) {
            pointer = pointer.appendProperty(name);
        }
        return pointer;
    }
}
