package dev.tollgate.sidecar.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * When Gemini answered nothing because its safety filters stopped it (Vertex AI's "Process blocked
 * responses"): the prompt was blocked ({@code promptFeedback.blockReason}, no candidates), or every
 * candidate was withheld (a blocking {@code finishReason} and no content). That is a refusal of the
 * request, which the gateway answers as a client error. A candidate that had content before it was
 * stopped is an answer, finished as OpenAI's {@code content_filter}.
 */
final class SafetyBlock {
    /** The finish reasons that mean "withheld by a filter", as opposed to RECITATION or a length stop. */
    private static final Set<String> WITHHOLDING = Set.of("SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII");

    private SafetyBlock() {
    }

    /** The prompt-block message for a response that carries one, else null. */
    static String promptBlocked(JsonNode response) {
        String reason = response.path("promptFeedback").path("blockReason").textValue();
        return reason == null ? null : "Gemini's safety filters blocked the prompt (blockReason " + reason + ")";
    }

    /**
     * Why {@code response} is a refusal, naming Gemini's reason, or null when it is an answer.
     * {@code candidates} is how many the client asked for: a streamed chunk that carries fewer says
     * nothing yet about the rest.
     */
    static String refusal(JsonNode response, int candidates) {
        String prompt = promptBlocked(response);
        if (prompt != null) {
            return prompt;
        }
        JsonNode list = response.path("candidates");
        if (list.isEmpty() || list.size() < candidates) {
            return null;
        }
        String reason = null;
        for (JsonNode candidate : list) {
            reason = candidate.path("finishReason").asText("");
            if (!WITHHOLDING.contains(reason) || hasContent(candidate)) {
                return null;
            }
        }
        return "Gemini's safety filters withheld the answer (finishReason " + reason + ")";
    }

    /** Text the client would see, or a function call; thought summaries alone are not an answer. */
    private static boolean hasContent(JsonNode candidate) {
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("functionCall") || part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }
}
