package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' label selector: {@code matchLabels} and {@code matchExpressions}, all of which must hold.
 * Modelled whole so the API server keeps every part: a part missing from the schema would be pruned
 * and the selector silently widened.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LabelSelector(
        @JsonPropertyDescription("Every label here must have this value.")
        Map<String, String> matchLabels,
        @Size(max = LabelSelector.MAX_EXPRESSIONS)
        @JsonPropertyDescription("Every requirement here must hold.")
        List<LabelSelectorRequirement> matchExpressions) {

    /** Bounds the CEL cost estimate of the requirement rules; far more than a real selector needs. */
    static final int MAX_EXPRESSIONS = 32;

    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public LabelSelector(Map<String, String> matchLabels) {
        this(matchLabels, List.of());
    }

    /** Neither labels nor requirements. */
    @JsonIgnore
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /**
     * Whether {@code labels} satisfy this selector, as Kubernetes decides, except that an empty selector
     * matches nothing: a selector that names nothing must not grant access to everything.
     */
    public boolean matches(Map<String, String> labels) {
        if (isEmpty()) {
            return false;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())))
                && matchExpressions.stream().allMatch(r -> r.matches(actual));
    }
}
