package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Conversation turns for APIs that want user and assistant turns to alternate (Anthropic Messages,
 * Bedrock Converse, Gemini), built from OpenAI chat messages, where the same role may come twice in a row.
 */
public final class AlternatingTurns {
    private AlternatingTurns() {
    }

    /** Adds {@code blocks} as a turn of {@code role} (under {@code content}), joining the previous turn of that role. */
    public static void append(ArrayNode messages, String role, ArrayNode blocks) {
        append(messages, role, "content", blocks);
    }

    /**
     * Adds {@code blocks} under {@code blocksField} ({@code parts} for Gemini) as a turn of {@code role},
     * joining the previous turn when it has the same role; no blocks, no turn.
     */
    public static void append(ArrayNode messages, String role, String blocksField, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.get("role").textValue().equals(role)) {
            ((ArrayNode) last.get(blocksField)).addAll(blocks);
            return;
        }
        messages.addObject().put("role", role).set(blocksField, blocks);
    }
}
