package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** How the built-in mock provider behaves: failover and load can be shown without spending money. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MockSpec(
        @Pattern(Formats.DURATION) @JsonPropertyDescription("Delay before the first byte, e.g. 20ms.")
        String latency,
        @Pattern(Formats.DURATION) @JsonPropertyDescription("Delay between streamed chunks, e.g. 10ms.")
        String chunkDelay,
        @Min(1) @JsonPropertyDescription("Tokens of content per streamed chunk.")
        Integer tokensPerChunk,
        @Min(400) @Max(599) @JsonPropertyDescription("When set, every request fails with this HTTP status.")
        Integer failStatus,
        @Min(0) @JsonPropertyDescription("When set, a stream is cut after this many chunks.")
        Integer cutAfterChunks,
        @JsonPropertyDescription("The answer text; default: a deterministic sentence built from the prompt.")
        String reply) {
}
