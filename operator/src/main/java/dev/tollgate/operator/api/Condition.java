package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * One aspect of an object's state, shaped like Kubernetes' metav1.Condition so kubectl and
 * generic tooling read it. {@code lastTransitionTime} changes only when {@code status} flips.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
        @Required @JsonPropertyDescription("Condition type, e.g. Ready, Accepted, ResolvedRefs, Active.")
        String type,
        @Required @Pattern("^(True|False|Unknown)$")
        String status,
        @JsonPropertyDescription("CamelCase reason for the last transition.")
        String reason,
        @JsonPropertyDescription("Human-readable details; never a key or token.")
        String message,
        @JsonPropertyDescription("RFC 3339 time the status last changed.")
        String lastTransitionTime,
        @JsonPropertyDescription("The metadata.generation this condition was computed from.")
        Long observedGeneration) {
}
