package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Labels that must all be present with these values; empty or absent matches everything. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LabelSelector(
        @JsonPropertyDescription("Every label here must match.")
        Map<String, String> matchLabels) {

    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())));
    }
}
