package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The minute rate allowances are granted in, and what every lease was allowed in it together. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpendKeyWindow(
        @JsonPropertyDescription("RFC 3339 start of the minute.")
        String start,
        @JsonPropertyDescription("Requests granted to leases in this minute.")
        Long requests,
        @JsonPropertyDescription("Tokens granted to leases in this minute.")
        Long tokens) {
}
