package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A closed budget period's figures; late reports on its leases still count here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpendKeyPeriod(
        @JsonPropertyDescription("RFC 3339 start of the period.")
        String periodStart,
        String spent,
        String unreconciled,
        Long requests,
        Long inputTokens,
        Long outputTokens) {
}
