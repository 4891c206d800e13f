package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Conversation turns for APIs that want user and assistant turns to alternate (Anthropic Messages,
 * Bedrock Converse), built from OpenAI chat messages, where the same role may come twice in a row.
 */
public final class AlternatingTurns {
    private AlternatingTurns() {
    }

    /** Adds {@code blocks} as a turn of {@code role}, joining the previous turn when it has the same role; no blocks, no turn. */
    public static void append(ArrayNode messages, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.get("role").textValue().equals(role)) {
            ((ArrayNode) last.get("content")).addAll(blocks);
            return;
        }
        messages.addObject().put("role", role).set("content", blocks);
    }
}
