package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Why the model stopped, as the provider said it ({@code stop}, {@code end_turn}, {@code STOP},
 * {@code max_tokens}...), one per choice or candidate: the span's {@code gen_ai.response.finish_reasons}.
 * At most {@value #MAX} (OpenAI's largest {@code n}), so no answer can grow the list without bound.
 */
public final class FinishReasons {
    public static final int MAX = 128;

    private FinishReasons() {
    }

    /** The text of {@code field} in each of {@code items}, where it has one. */
    public static List<String> of(JsonNode items, String field) {
        List<String> reasons = new ArrayList<>(1);
        for (JsonNode item : items) {
            add(reasons, item.path(field).textValue());
        }
        return reasons;
    }

    /** The one reason of a single answer; none when the provider gave none. */
    public static List<String> of(String reason) {
        return reason == null ? List.of() : List.of(reason);
    }

    /** Adds {@code reason} unless it is null or the list is full. */
    public static void add(List<String> reasons, String reason) {
        if (reason != null && reasons.size() < MAX) {
            reasons.add(reason);
        }
    }
}
