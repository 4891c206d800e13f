package dev.tollgate.operator.lease;

import dev.tollgate.operator.api.SpendKeySpec;
import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.metering.Money;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * What a SpendKey's spec says, read leniently: a value the snapshot builder rejects (and reports)
 * counts as absent here, so the ledger never fails on a bad spec.
 *
 * @param limitMicros budget per period; null without a budget
 * @param period      the period figures are kept in: the budget's, else monthly, as the sidecar assumes
 */
public record KeyTerms(Long limitMicros, BudgetPeriod period, Integer requestsPerMinute, Integer tokensPerMinute,
        boolean suspended, Instant expiresAt) {
    public static final String ACTIVE = "Active";
    public static final String SUSPENDED = "Suspended";
    public static final String EXPIRED = "Expired";
    public static final String BUDGET_EXHAUSTED = "BudgetExhausted";
    public static final String INVALID = "Invalid";

    public static KeyTerms of(SpendKeySpec spec) {
        if (spec == null) {
            return new KeyTerms(null, BudgetPeriod.MONTHLY, null, null, false, null);
        }
        Long limit = spec.budget() == null ? null : usdOrNull(spec.budget().limit());
        return new KeyTerms(limit, periodOf(spec), spec.rateLimit() == null ? null : spec.rateLimit().requestsPerMinute(),
                spec.rateLimit() == null ? null : spec.rateLimit().tokensPerMinute(), spec.suspended(),
                instantOrNull(spec.expiresAt()));
    }

    public boolean rateLimited() {
        return requestsPerMinute != null || tokensPerMinute != null;
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean exhausted(long spentMicros) {
        return limitMicros != null && spentMicros >= limitMicros;
    }

    /** The one state that holds: Invalid before Suspended before Expired before BudgetExhausted before Active. */
    public String state(boolean invalid, long spentMicros, Instant now) {
        return invalid ? INVALID : suspended ? SUSPENDED : expired(now) ? EXPIRED : exhausted(spentMicros) ? BUDGET_EXHAUSTED : ACTIVE;
    }

    private static BudgetPeriod periodOf(SpendKeySpec spec) {
        try {
            return spec.budget() == null || spec.budget().period() == null ? BudgetPeriod.MONTHLY
                    : BudgetPeriod.of(spec.budget().period());
        } catch (IllegalArgumentException e) {
            return BudgetPeriod.MONTHLY;
        }
    }

    private static Long usdOrNull(String usd) {
        try {
            return usd == null ? null : Money.parseUsd(usd);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An RFC 3339 time, or null when absent or malformed. */
    static Instant instantOrNull(String text) {
        try {
            return text == null || text.isBlank() ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
