package dev.tollgate.sidecar.provider.bedrock;

/** Converse's {@code stopReason} as an OpenAI {@code finish_reason}. */
final class StopReasons {
    private StopReasons() {
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "guardrail_intervened", "content_filtered" -> "content_filter";
            default -> "stop";
        };
    }
}
