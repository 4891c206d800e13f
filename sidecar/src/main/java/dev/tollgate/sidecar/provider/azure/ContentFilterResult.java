package dev.tollgate.sidecar.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Azure's verdict on a blocked prompt: a 400 whose {@code error.code} is {@code content_filter}
 * (inner code {@code ResponsibleAIPolicyViolation}), with {@code innererror.content_filter_result}
 * per category ({@code {"filtered": true, "severity": "high"}}, jailbreak {@code "detected"}, and
 * custom blocklists as a list).
 */
final class ContentFilterResult {
    private ContentFilterResult() {
    }

    static boolean isBlocked(JsonNode error) {
        return "content_filter".equals(error.path("code").asText())
                || "ResponsibleAIPolicyViolation".equals(error.path("innererror").path("code").asText());
    }

    /** The categories that blocked, e.g. "hate: high, jailbreak: detected"; the client needs them to rephrase. */
    static String describe(JsonNode error) {
        JsonNode inner = error.path("innererror");
        JsonNode result = inner.has("content_filter_result") ? inner.get("content_filter_result") : inner.path("content_filter_results");
        List<String> blocked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> category : (Iterable<Map.Entry<String, JsonNode>>) result::fields) {
            JsonNode verdict = category.getValue();
            if (verdict.isArray()) {
                for (JsonNode list : verdict) {
                    if (list.path("filtered").asBoolean()) {
                        blocked.add(category.getKey() + ": " + list.path("id").asText("listed"));
                    }
                }
            } else if (verdict.path("filtered").asBoolean()) {
                blocked.add(category.getKey() + ": " + verdict.path("severity").asText(
                        verdict.path("detected").asBoolean() ? "detected" : "filtered"));
            }
        }
        return blocked.isEmpty() ? "no category named" : String.join(", ", blocked);
    }
}
