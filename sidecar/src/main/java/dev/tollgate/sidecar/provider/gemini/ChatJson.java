package dev.tollgate.sidecar.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.util.concurrent.ThreadLocalRandom;

/** The OpenAI chat-completion objects a Gemini answer becomes, and what a Gemini candidate says in their terms. */
final class ChatJson {
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private ChatJson() {
    }

    /** Gemini's responseId when it sent one, so a request can be found in Google's logs too. */
    static String completionId(JsonNode answer) {
        String responseId = answer.path("responseId").textValue();
        return "chatcmpl-" + (responseId != null ? responseId : randomId());
    }

    /** The candidate's answer text; thought summaries (parts marked {@code thought}) are not the answer. */
    static String text(JsonNode candidate) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
                text.append(part.get("text").textValue());
            }
        }
        return text.toString();
    }

    /**
     * The candidate's function calls as OpenAI tool calls. Gemini's calls carry no id the client could
     * echo back, so each gets a fresh one; its tool message is matched to the call by that id. A
     * call's thought signature rides along in {@code extra_content.google.thought_signature}.
     */
    static ArrayNode toolCalls(JsonNode candidate) {
        ArrayNode calls = UpstreamJson.MAPPER.createArrayNode();
        for (JsonNode part : candidate.path("content").path("parts")) {
            JsonNode call = part.get("functionCall");
            if (call != null) {
                ObjectNode toolCall = calls.addObject().put("id", "call_" + randomId()).put("type", "function");
                toolCall.putObject("function").put("name", call.path("name").asText())
                        .put("arguments", call.has("args") ? call.get("args").toString() : "{}");
                if (part.path("thoughtSignature").isTextual()) {
                    // Thinking models need it back with the call; where Google's own OpenAI endpoint puts it.
                    toolCall.putObject("extra_content").putObject("google").set("thought_signature", part.get("thoughtSignature"));
                }
            }
        }
        return calls;
    }

    /**
     * Gemini's finishReason in OpenAI's terms. A stop after function calls is {@code tool_calls};
     * the safety family (the answer was withheld) is OpenAI's {@code content_filter}.
     */
    static String finishReason(String gemini, boolean calledTools) {
        return switch (gemini) {
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
            default -> calledTools ? "tool_calls" : "stop";
        };
    }

    private static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length()));
        }
        return new String(id);
    }
}
