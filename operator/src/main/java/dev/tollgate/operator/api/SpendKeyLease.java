package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One sidecar's lease on a key, with the cumulative figures it last reported. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpendKeyLease(
        @JsonPropertyDescription("The lease id the sidecar made.")
        String id,
        @JsonPropertyDescription("The pod holding it.")
        String holder,
        @JsonPropertyDescription("RFC 3339 start of the period the lease spends in.")
        String periodStart,
        @JsonPropertyDescription("Budget granted on the lease so far.")
        String granted,
        String spent,
        Long requests,
        Long inputTokens,
        Long outputTokens,
        @JsonPropertyDescription("Highest report sequence applied.")
        Long sequence,
        @JsonPropertyDescription("RFC 3339; unreported until then, the unspent part counts as spent.")
        String expiresAt,
        @JsonPropertyDescription("Expired unreported: its unspent part is counted as spent and unreconciled.")
        boolean expired,
        @JsonPropertyDescription("Released by its sidecar: it grants nothing more.")
        boolean released,
        @JsonPropertyDescription("Requests allowed to this lease in the window's minute.")
        Long windowRequests,
        @JsonPropertyDescription("Tokens allowed to this lease in the window's minute.")
        Long windowTokens) {
}
