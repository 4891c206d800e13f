package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** One requirement of a label selector's {@code matchExpressions}, with Kubernetes' meaning. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "self.operator in ['In', 'NotIn', 'Exists', 'DoesNotExist']",
        message = "operator must be In, NotIn, Exists or DoesNotExist")
@ValidationRule(value = "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0)"
        + " : (!has(self.values) || size(self.values) == 0)",
        message = "values must be set for In and NotIn, and empty for Exists and DoesNotExist")
public record LabelSelectorRequirement(
        @Required @JsonPropertyDescription("The label key.")
        String key,
        @Required @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
        String operator,
        @Size(max = MAX_VALUES) @JsonPropertyDescription("Values for In and NotIn; empty for Exists and DoesNotExist.")
        List<String> values) {

    /** Bounds the CEL cost estimate; far more than a real requirement needs. */
    static final int MAX_VALUES = 64;

    public LabelSelectorRequirement {
        values = values == null ? List.of() : List.copyOf(values);
    }

    /**
     * As Kubernetes evaluates it: NotIn also holds when the label is absent. A requirement Kubernetes would
     * refuse (unknown operator, values missing or superfluous) holds for nothing, so it can only narrow.
     */
    boolean matches(Map<String, String> labels) {
        if (key == null || operator == null) {
            return false;
        }
        String value = labels.get(key);
        return switch (operator) {
            case "In" -> !values.isEmpty() && value != null && values.contains(value);
            case "NotIn" -> !values.isEmpty() && (value == null || !values.contains(value));
            case "Exists" -> values.isEmpty() && value != null;
            case "DoesNotExist" -> values.isEmpty() && value == null;
            default -> false;
        };
    }
}
