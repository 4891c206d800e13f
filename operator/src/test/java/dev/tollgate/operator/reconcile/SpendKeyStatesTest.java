package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.api.BudgetSpec;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeySpec;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.operator.config.Problem;
import dev.tollgate.operator.lease.LeaseBook;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Budget periods and states at chosen instants. */
class SpendKeyStatesTest {
    private static final Instant MARCH_31_LATE = Instant.parse("2026-03-31T23:59:00Z");
    private static final Instant APRIL_1 = Instant.parse("2026-04-01T00:00:00Z");

    @Test
    void anExhaustedMonthlyBudgetStartsAgainWithTheNextMonth() {
        SpendKey key = key(new BudgetSpec("10.00", "monthly"), null, null);
        SpendKeyStates.Evaluation march = evaluate(key, null, "bot-spendkey", "tg_abcde", MARCH_31_LATE);
        assertThat(march.status().state()).isEqualTo("Active");
        assertThat(march.status().periodStart()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(march.nextCheck()).contains(APRIL_1);

        key.setStatus(withSpent(march.status(), "10.00", 40L));
        SpendKeyStates.Evaluation exhausted = evaluate(key, null, "bot-spendkey", "tg_abcde", MARCH_31_LATE);
        assertThat(exhausted.status().state()).isEqualTo("BudgetExhausted");
        assertThat(exhausted.status().remaining()).isEqualTo("0.00");

        key.setStatus(exhausted.status());
        SpendKeyStates.Evaluation april = evaluate(key, null, "bot-spendkey", "tg_abcde", APRIL_1);
        assertThat(april.status().state()).isEqualTo("Active");
        assertThat(april.status().periodStart()).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(april.status().spent()).isEqualTo("0.00");
        assertThat(april.status().remaining()).isEqualTo("10.00");
        assertThat(april.status().requests()).isZero();
        assertThat(april.status().history()).singleElement().satisfies(march31 -> {
            assertThat(march31.periodStart()).isEqualTo("2026-03-01T00:00:00Z");
            assertThat(march31.spent()).isEqualTo("10.00");
            assertThat(march31.requests()).isEqualTo(40L);
        });
        assertThat(april.nextCheck()).contains(Instant.parse("2026-05-01T00:00:00Z"));
    }

    @Test
    void expiryComesBeforeThePeriodBoundaryWhenSooner() {
        SpendKey key = key(new BudgetSpec("10.00", "weekly"), "2026-04-01T12:00:00Z", null);
        // 2026-04-01 is a Wednesday; the next week starts on Monday 2026-04-06.
        assertThat(evaluate(key, null, "s", null, APRIL_1).nextCheck())
                .contains(Instant.parse("2026-04-01T12:00:00Z"));
        assertThat(evaluate(key, null, "s", null, Instant.parse("2026-04-01T12:00:00Z")).nextCheck())
                .contains(Instant.parse("2026-04-06T00:00:00Z"));
        assertThat(evaluate(key(new BudgetSpec("1", "total"), null, null), null, "s", null, APRIL_1)
                .nextCheck()).isEmpty();
    }

    @Test
    void aKeyTheSnapshotLeavesOutIsInvalidWithTheSnapshotsReason() {
        SpendKey key = key(null, null, null);
        SpendKeyStatus status = evaluate(key,
                new Problem("SpendKey", "team-a/bot", "DuplicateToken", "uses the same token as SpendKey team-a/other; give it its own"),
                "bot-spendkey", "tg_abcde", APRIL_1).status();

        assertThat(status.state()).isEqualTo("Invalid");
        assertThat(Conditions.find(status.conditions(), "Active").orElseThrow())
                .satisfies(c -> {
                    assertThat(c.status()).isEqualTo("False");
                    assertThat(c.reason()).isEqualTo("DuplicateToken");
                });
    }

    /** As the reconciler does it: the ledger brought to now, then the state. */
    private static SpendKeyStates.Evaluation evaluate(SpendKey key, Problem problem, String tokenSecret, String prefix, Instant now) {
        SpendKeyStatus settled = LeaseBook.apply(key.getStatus(), key.getSpec(), problem != null, now, List.of()).status();
        return SpendKeyStates.evaluate(key, settled, problem, tokenSecret, prefix, now);
    }

    private static SpendKey key(BudgetSpec budget, String expiresAt, SpendKeyStatus status) {
        SpendKey key = new SpendKey();
        key.setMetadata(new ObjectMetaBuilder().withName("bot").withNamespace("team-a").withGeneration(1L).build());
        key.setSpec(new SpendKeySpec(null, budget, List.of(), null, expiresAt, false, null));
        key.setStatus(status);
        return key;
    }

    private static SpendKeyStatus withSpent(SpendKeyStatus s, String spent, long requests) {
        return new SpendKeyStatus(s.observedGeneration(), s.conditions(), s.state(), spent, s.remaining(), s.reserved(),
                s.unreconciled(), s.periodStart(), requests, s.inputTokens(), s.outputTokens(), s.lastUsedAt(), s.tokenSecret(),
                s.keyPrefix(), s.history(), s.leases(), s.window());
    }
}
