package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Request deadlines. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeoutsSpec(
        @Pattern(Formats.DURATION) @JsonPropertyDescription("The whole request, all attempts included. Default 600s.")
        String request,
        @Pattern(Formats.DURATION) @JsonPropertyDescription("Until the first byte of the answer; past it, fail over. Default 30s.")
        String firstToken) {
}
