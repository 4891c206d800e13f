package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Condition;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeySpec;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.operator.config.Problem;
import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.metering.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a SpendKey stands at an instant: its state (Suspended before Expired before
 * BudgetExhausted before Active; Invalid when the snapshot leaves it out), one condition per
 * state, the current budget period (spend starts again at zero when a new one begins) and when
 * to look again (expiry, next period).
 */
final class SpendKeyStates {
    static final String ACTIVE = "Active";
    static final String SUSPENDED = "Suspended";
    static final String EXPIRED = "Expired";
    static final String BUDGET_EXHAUSTED = "BudgetExhausted";
    static final String INVALID = "Invalid";

    private SpendKeyStates() {
    }

    /** The new status and the next instant the state may change by itself (empty: only a change can). */
    record Evaluation(SpendKeyStatus status, Optional<Instant> nextCheck) {
    }

    /**
     * @param problem   why the snapshot leaves the key out, or null
     * @param keyPrefix the token's first characters, or null while there is no token
     */
    static Evaluation evaluate(SpendKey key, Problem problem, String tokenSecret, String keyPrefix, Instant now) {
        SpendKeySpec spec = key.getSpec();
        SpendKeyStatus old = key.getStatus() == null
                ? new SpendKeyStatus(null, List.of(), null, null, null, null, null, null, null, null, null, null, null)
                : key.getStatus();
        Long limit = spec == null || spec.budget() == null ? null : usdOrNull(spec.budget().limit());
        BudgetPeriod period = limit == null ? null : periodOf(spec);
        Instant periodStart = period == null ? null : period.startOf(now);
        Instant oldStart = instantOrNull(old.periodStart());
        boolean newPeriod = oldStart != null && periodStart != null && oldStart.isBefore(periodStart);
        long spent = newPeriod ? 0 : Optional.ofNullable(usdOrNull(old.spent())).orElse(0L);
        Instant expiresAt = spec == null ? null : instantOrNull(spec.expiresAt());

        boolean suspended = spec != null && spec.suspended();
        boolean expired = expiresAt != null && !now.isBefore(expiresAt);
        boolean exhausted = limit != null && spent >= limit;
        String state = problem != null ? INVALID
                : suspended ? SUSPENDED : expired ? EXPIRED : exhausted ? BUDGET_EXHAUSTED : ACTIVE;

        Long generation = key.getMetadata().getGeneration();
        List<Condition> conditions = Conditions.carryOver(old.conditions(), List.of(
                state.equals(ACTIVE)
                        ? Conditions.of(ACTIVE, true, ACTIVE, "requests with this key are served", generation, now)
                        : Conditions.of(ACTIVE, false, problem != null ? problem.reason() : state,
                                problem != null ? problem.message() : "requests with this key are refused: " + state,
                                generation, now),
                Conditions.of(SUSPENDED, suspended, suspended ? SUSPENDED : "NotSuspended",
                        "spec.suspended is " + suspended, generation, now),
                Conditions.of(EXPIRED, expired, expired ? EXPIRED : "NotExpired",
                        expiresAt == null ? "no expiry" : (expired ? "expired at " : "expires at ") + expiresAt,
                        generation, now),
                Conditions.of(BUDGET_EXHAUSTED, exhausted, exhausted ? BUDGET_EXHAUSTED : "WithinBudget",
                        limit == null ? "no budget" : "spent " + Money.formatUsd(spent) + " of " + Money.formatUsd(limit)
                                + " this " + period.wireName() + " period",
                        generation, now)));

        SpendKeyStatus status = new SpendKeyStatus(generation, conditions, state,
                Money.formatUsd(spent),
                limit == null ? null : Money.formatUsd(Math.max(0, limit - spent)),
                periodStart == null ? null : periodStart.toString(),
                newPeriod ? Long.valueOf(0) : old.requests(),
                newPeriod ? Long.valueOf(0) : old.inputTokens(),
                newPeriod ? Long.valueOf(0) : old.outputTokens(),
                old.reserved(), old.lastUsedAt(), tokenSecret, keyPrefix);
        Optional<Instant> nextCheck = Stream.of(expired ? null : expiresAt, period == null ? null : nextPeriodStart(period, now))
                .filter(i -> i != null)
                .min(Instant::compareTo);
        return new Evaluation(status, nextCheck);
    }

    private static BudgetPeriod periodOf(SpendKeySpec spec) {
        try {
            return spec.budget().period() == null ? BudgetPeriod.MONTHLY : BudgetPeriod.of(spec.budget().period());
        } catch (IllegalArgumentException e) {
            return BudgetPeriod.MONTHLY; // the snapshot reports the bad period; the state says Invalid
        }
    }

    /** Start of the period after the one holding {@code now}; null for total, which never ends. */
    static Instant nextPeriodStart(BudgetPeriod period, Instant now) {
        LocalDate start = LocalDate.ofInstant(period.startOf(now), ZoneOffset.UTC);
        LocalDate next = switch (period) {
            case DAILY -> start.plusDays(1);
            case WEEKLY -> start.plusWeeks(1);
            case MONTHLY -> start.plusMonths(1);
            case TOTAL -> null;
        };
        return next == null ? null : next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Bad values are reported by the snapshot builder; here they count as absent. */
    private static Long usdOrNull(String usd) {
        try {
            return usd == null ? null : Money.parseUsd(usd);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant instantOrNull(String text) {
        try {
            return text == null || text.isBlank() ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
