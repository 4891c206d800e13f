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
        String firstToken,
        @Pattern(Formats.DURATION) @JsonPropertyDescription("One attempt of a complete (non-streamed) answer; past it, fail over"
                + " like any retryable failure. Default 300s.")
        String attempt,
        @Pattern(Formats.DURATION) @JsonPropertyDescription("Between a stream's events once it started; past it, the stream ends"
                + " with a timeout error. Default 120s.")
        String idle) {
}
