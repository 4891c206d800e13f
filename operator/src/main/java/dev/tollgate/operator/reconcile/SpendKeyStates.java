package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Condition;
import dev.tollgate.operator.api.Conditions;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.operator.config.Problem;
import dev.tollgate.operator.lease.KeyTerms;
import dev.tollgate.operator.lease.LeaseBook;
import dev.tollgate.sidecar.metering.Money;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a SpendKey stands at an instant: its state (see {@link KeyTerms#state}; Invalid when the
 * snapshot leaves it out), one condition per state, and when to look again (expiry, next period,
 * next lease expiry). The figures come from the ledger ({@link LeaseBook}), already brought to now.
 */
final class SpendKeyStates {
    private SpendKeyStates() {
    }

    /** The new status and the next instant the state may change by itself (empty: only a change can). */
    record Evaluation(SpendKeyStatus status, Optional<Instant> nextCheck) {
    }

    /**
     * @param key       the key as read (spec, generation, the conditions before)
     * @param settled   its status as {@link LeaseBook#apply} brought it to now
     * @param problem   why the snapshot leaves the key out, or null
     * @param keyPrefix the token's first characters, or null while there is no token
     */
    static Evaluation evaluate(SpendKey key, SpendKeyStatus settled, Problem problem, String tokenSecret, String keyPrefix,
            Instant now) {
        KeyTerms terms = KeyTerms.of(key.getSpec());
        long spent = settled.spent() == null ? 0 : Money.parseUsd(settled.spent());
        boolean expired = terms.expired(now);
        boolean exhausted = terms.exhausted(spent);
        String state = terms.state(problem != null, spent, now);
        String period = terms.period().wireName();

        Long generation = key.getMetadata().getGeneration();
        List<Condition> conditions = Conditions.carryOver(settled.conditions(), List.of(
                state.equals(KeyTerms.ACTIVE)
                        ? Conditions.of(KeyTerms.ACTIVE, true, KeyTerms.ACTIVE, "requests with this key are served", generation, now)
                        : Conditions.of(KeyTerms.ACTIVE, false, problem != null ? problem.reason() : state,
                                problem != null ? problem.message() : "requests with this key are refused: " + state,
                                generation, now),
                Conditions.of(KeyTerms.SUSPENDED, terms.suspended(), terms.suspended() ? KeyTerms.SUSPENDED : "NotSuspended",
                        "spec.suspended is " + terms.suspended(), generation, now),
                Conditions.of(KeyTerms.EXPIRED, expired, expired ? KeyTerms.EXPIRED : "NotExpired",
                        terms.expiresAt() == null ? "no expiry" : (expired ? "expired at " : "expires at ") + terms.expiresAt(),
                        generation, now),
                // Within budget, the message names no figure: it would change with every report.
                Conditions.of(KeyTerms.BUDGET_EXHAUSTED, exhausted, exhausted ? KeyTerms.BUDGET_EXHAUSTED : "WithinBudget",
                        terms.limitMicros() == null ? "no budget"
                                : exhausted ? "spent " + Money.formatUsd(spent) + " of " + Money.formatUsd(terms.limitMicros())
                                        + " this " + period + " period"
                                : "within the budget of " + Money.formatUsd(terms.limitMicros()) + " per " + period + " period",
                        generation, now)));

        SpendKeyStatus status = new SpendKeyStatus(generation, conditions, state, settled.spent(), settled.remaining(), settled.reserved(),
                settled.unreconciled(), settled.periodStart(), settled.requests(), settled.inputTokens(), settled.outputTokens(), settled.lastUsedAt(),
                tokenSecret, keyPrefix, settled.history(), settled.leases(), settled.window());
        Optional<Instant> nextCheck = Stream.of(expired ? null : terms.expiresAt(), terms.period().nextStart(now),
                        LeaseBook.nextExpiry(settled).orElse(null))
                .filter(Objects::nonNull)
                .min(Instant::compareTo);
        return new Evaluation(status, nextCheck);
    }
}
