package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Stops sending to a failing backend for a while. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CircuitBreakerSpec(
        @Min(1) @JsonPropertyDescription("Failures in a row that open the circuit. Default 5.")
        Integer consecutiveFailures,
        @Pattern(Formats.DURATION) @JsonPropertyDescription("How long the circuit stays open. Default 30s.")
        String cooldown) {
}
