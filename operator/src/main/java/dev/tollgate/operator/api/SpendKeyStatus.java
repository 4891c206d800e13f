package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Where a key stands in its current period, and the leases sidecars hold on it. Money as decimal
 * USD strings. The lease figures are written only by compare-and-swap updates (see {@code lease.LeaseWriter}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpendKeyStatus(
        Long observedGeneration,
        List<Condition> conditions,
        @JsonPropertyDescription("Active | BudgetExhausted | Expired | Suspended (the condition that holds, for kubectl get); Invalid when the key cannot be used at all (see the Active condition).")
        String state,
        @JsonPropertyDescription("Spent this period, including unreconciled.")
        String spent,
        @JsonPropertyDescription("Limit minus spent; absent without a budget.")
        String remaining,
        @JsonPropertyDescription("Budget held by open leases: their granted minus spent.")
        String reserved,
        @JsonPropertyDescription("Part of spent that is an estimate: leases that expired unreported counted whole.")
        String unreconciled,
        @JsonPropertyDescription("RFC 3339 start of the current period.")
        String periodStart,
        Long requests,
        Long inputTokens,
        Long outputTokens,
        String lastUsedAt,
        @JsonPropertyDescription("The Secret holding the token (key token).")
        String tokenSecret,
        @JsonPropertyDescription("First characters of the token, to recognise it.")
        String keyPrefix,
        @JsonPropertyDescription("Closed periods, newest last (at most 6).")
        List<SpendKeyPeriod> history,
        @JsonPropertyDescription("Leases held by sidecars, open ones and, for an hour, expired or released ones.")
        List<SpendKeyLease> leases,
        @JsonPropertyDescription("Rate allowances granted in the current minute; absent without a rate limit.")
        SpendKeyWindow window) {

    public SpendKeyStatus {
        history = history == null ? List.of() : List.copyOf(history);
        leases = leases == null ? List.of() : List.copyOf(leases);
    }

    /** A key nothing has been written about yet. */
    public static SpendKeyStatus empty() {
        return new SpendKeyStatus(null, List.of(), null, null, null, null, null, null, null, null, null, null, null, null,
                List.of(), List.of(), null);
    }
}
