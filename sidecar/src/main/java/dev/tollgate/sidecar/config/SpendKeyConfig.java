package dev.tollgate.sidecar.config;

import java.time.Instant;
import java.util.List;

/**
 * A spend key's policy as the sidecar enforces it. Only the SHA-256 of the token is here.
 *
 * @param name              the SpendKey's {@code namespace/name}
 * @param tokenSha256       lowercase hex SHA-256 of the bearer token
 * @param models            allowed requested names (trailing * = prefix); empty allows all
 * @param budgetMicros      budget per period in micro-dollars; null = no budget
 * @param requestsPerMinute null = unlimited
 * @param tokensPerMinute   null = unlimited
 * @param expiresAt         null = never
 */
public record SpendKeyConfig(
        String name,
        String tokenSha256,
        List<String> models,
        Long budgetMicros,
        BudgetPeriod period,
        Integer requestsPerMinute,
        Integer tokensPerMinute,
        Instant expiresAt,
        boolean suspended,
        Enforcement enforcement) {

    public SpendKeyConfig {
        models = models == null ? List.of() : List.copyOf(models);
        period = period == null ? BudgetPeriod.MONTHLY : period;
        enforcement = enforcement == null ? Enforcement.STRICT : enforcement;
    }
}
