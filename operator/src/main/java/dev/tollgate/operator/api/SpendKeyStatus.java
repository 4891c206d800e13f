package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Where a key stands in its current period. Money as decimal USD strings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpendKeyStatus(
        Long observedGeneration,
        List<Condition> conditions,
        @JsonPropertyDescription("Active | BudgetExhausted | Expired | Suspended (the condition that holds, for kubectl get); Invalid when the key cannot be used at all (see the Active condition).")
        String state,
        String spent,
        String remaining,
        @JsonPropertyDescription("RFC 3339 start of the current period.")
        String periodStart,
        Long requests,
        Long inputTokens,
        Long outputTokens,
        @JsonPropertyDescription("Budget held by outstanding leases.")
        String reserved,
        String lastUsedAt,
        @JsonPropertyDescription("The Secret holding the token (key token).")
        String tokenSecret,
        @JsonPropertyDescription("First characters of the token, to recognise it.")
        String keyPrefix) {
}
