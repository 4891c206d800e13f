package dev.tollgate.sidecar.spend;

import static dev.tollgate.sidecar.metering.Money.parseUsd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.config.BudgetPeriod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Reserve the worst case, settle the truth, never overspend; periods roll into history. */
class SpendKeyBudgetTest {
    private final TestClock clock = new TestClock("2026-03-10T12:00:00Z");
    private final SpendKeyRegistry registry = new SpendKeyRegistry(clock);

    @Test
    void settleReplacesTheReservationByTheActualCost() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.MONTHLY).in(registry);

        Admission admission = key.admit("chat", 300, parseUsd("0.60"));
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("0.40"));
        assertThat(ledger().spentMicros()).isZero();

        clock.advance(Duration.ofSeconds(2));
        admission.settle(parseUsd("0.25"), 120, 80);

        assertThat(key.remainingMicros()).isEqualTo(parseUsd("0.75"));
        SpendKeyLedger ledger = ledger();
        assertThat(ledger.spentMicros()).isEqualTo(parseUsd("0.25"));
        assertThat(ledger.requests()).isEqualTo(1);
        assertThat(ledger.inputTokens()).isEqualTo(120);
        assertThat(ledger.outputTokens()).isEqualTo(80);
        assertThat(ledger.lastUsedAt()).isEqualTo(Instant.parse("2026-03-10T12:00:02Z"));
        assertThat(ledger.periodStart()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    }

    @Test
    void anActualCostAboveTheEstimateIsRecordedAndBlocksFurtherSpending() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.MONTHLY).in(registry);

        key.admit("chat", 300, parseUsd("0.90")).settle(parseUsd("1.20"), 300, 900);

        assertThat(ledger().spentMicros()).isEqualTo(parseUsd("1.20"));
        assertThat(key.remainingMicros()).isZero();
        assertThatThrownBy(() -> key.admit("chat", 1, 1)).isInstanceOf(SpendRejection.class)
                .hasMessageContaining("$0.00 left");
    }

    @Test
    void cancelReturnsTheReservationAndCountsNothing() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.MONTHLY).in(registry);

        Admission admission = key.admit("chat", 300, parseUsd("0.80"));
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("0.20"));
        admission.cancel();

        assertThat(key.remainingMicros()).isEqualTo(parseUsd("1.00"));
        SpendKeyLedger ledger = ledger();
        assertThat(ledger.spentMicros()).isZero();
        assertThat(ledger.requests()).isZero();
        assertThat(ledger.lastUsedAt()).isNull();
    }

    @Test
    void onlyTheFirstSettleOrCancelCounts() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.MONTHLY).in(registry);

        Admission settledTwice = key.admit("chat", 10, parseUsd("0.30"));
        settledTwice.settle(parseUsd("0.10"), 5, 5);
        settledTwice.settle(parseUsd("0.20"), 5, 5);
        settledTwice.cancel();

        Admission cancelledThenSettled = key.admit("chat", 10, parseUsd("0.30"));
        cancelledThenSettled.cancel();
        cancelledThenSettled.cancel();
        cancelledThenSettled.settle(parseUsd("0.30"), 5, 5);

        assertThat(ledger().spentMicros()).isEqualTo(parseUsd("0.10"));
        assertThat(ledger().requests()).isEqualTo(1);
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("0.90"));
    }

    @Test
    void negativeCostsAndTokenCountsAreRefusedWithoutSettling() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.MONTHLY).in(registry);
        Admission admission = key.admit("chat", 10, parseUsd("0.30"));

        assertThatThrownBy(() -> admission.settle(-1, 5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> key.admit("chat", -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> key.admit("chat", 1, -5)).isInstanceOf(IllegalArgumentException.class);

        admission.settle(parseUsd("0.05"), 5, 5); // the refused call did not use up the settlement
        assertThat(ledger().spentMicros()).isEqualTo(parseUsd("0.05"));
    }

    @Test
    void aKeyWithoutBudgetHasNoLimitButStillCountsItsSpending() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").in(registry);

        assertThat(key.remainingMicros()).isEqualTo(Long.MAX_VALUE);
        key.admit("chat", 10, parseUsd("5000.00")).settle(parseUsd("3.50"), 10, 10);

        assertThat(key.remainingMicros()).isEqualTo(Long.MAX_VALUE);
        assertThat(ledger().spentMicros()).isEqualTo(parseUsd("3.50"));
    }

    @Test
    void concurrentRequestsNeverSpendMoreThanTheBudget() throws Exception {
        // About 2,000 requests that would cost about $48 in all: the budget fits roughly half of them.
        long limit = parseUsd("25.00");
        long worstCase = parseUsd("0.05");
        SpendKey key = TestKey.named("team-a/bot").budget("25.00", BudgetPeriod.MONTHLY).in(registry);
        int threads = 50;
        int requestsPerThread = 40;
        AtomicLong settledMicros = new AtomicLong();
        AtomicLong settledRequests = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(t);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < requestsPerThread; i++) {
                        Admission admission;
                        try {
                            admission = key.admit("chat", 100, worstCase);
                        } catch (SpendRejection e) {
                            rejected.incrementAndGet();
                            continue;
                        }
                        if (random.nextInt(5) == 0) {
                            admission.cancel();
                        } else {
                            long cost = parseUsd("0.01") + random.nextInt((int) (worstCase - parseUsd("0.01")) + 1);
                            admission.settle(cost, 60, 40);
                            settledMicros.addAndGet(cost);
                            settledRequests.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(rejected.get()).as("the budget fits only some requests").isPositive();
        assertThat(settledRequests.get()).isPositive();
        assertThat(settledMicros.get()).isLessThanOrEqualTo(limit);
        SpendKeyLedger ledger = ledger();
        assertThat(ledger.spentMicros()).isEqualTo(settledMicros.get());
        assertThat(ledger.requests()).isEqualTo(settledRequests.get());
        assertThat(ledger.inputTokens()).isEqualTo(60 * settledRequests.get());
        assertThat(key.remainingMicros()).isEqualTo(limit - settledMicros.get());
    }

    @Test
    void aNewPeriodStartsAfreshAndTheClosedOneGoesToHistory() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.DAILY).in(registry);
        key.admit("chat", 10, parseUsd("0.90")).settle(parseUsd("0.70"), 10, 10);
        key.admit("chat", 10, parseUsd("0.20")).settle(parseUsd("0.20"), 10, 10);
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("0.10"));

        clock.set("2026-03-11T00:00:00Z");

        assertThat(key.remainingMicros()).isEqualTo(parseUsd("1.00"));
        SpendKeyLedger ledger = ledger();
        assertThat(ledger.periodStart()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
        assertThat(ledger.spentMicros()).isZero();
        assertThat(ledger.requests()).isZero();
        assertThat(ledger.history()).containsExactly(
                new PeriodTotal(Instant.parse("2026-03-10T00:00:00Z"), parseUsd("0.90"), 2));
    }

    @Test
    void historyKeepsTheLastSixPeriods() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.DAILY).in(registry);
        for (int day = 0; day < 8; day++) {
            key.admit("chat", 10, parseUsd("0.10")).settle(day + 1, 1, 1);
            clock.advance(Duration.ofDays(1));
        }

        List<PeriodTotal> history = ledger().history();

        assertThat(history).hasSize(6);
        assertThat(history.get(0)).isEqualTo(new PeriodTotal(Instant.parse("2026-03-12T00:00:00Z"), 3, 1));
        assertThat(history.get(5)).isEqualTo(new PeriodTotal(Instant.parse("2026-03-17T00:00:00Z"), 8, 1));
    }

    @Test
    void aReservationOpenAcrossTheRollOverIsChargedToTheNewPeriod() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.DAILY).in(registry);
        Admission lateAnswer = key.admit("chat", 10, parseUsd("0.60"));

        clock.set("2026-03-11T00:00:05Z");
        // The open reservation may still be spent, so it keeps its place in the new day's budget.
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("0.40"));
        assertThatThrownBy(() -> key.admit("chat", 10, parseUsd("0.50"))).isInstanceOf(SpendRejection.class);

        lateAnswer.settle(parseUsd("0.20"), 10, 10);

        assertThat(key.remainingMicros()).isEqualTo(parseUsd("0.80"));
        assertThat(ledger().spentMicros()).isEqualTo(parseUsd("0.20"));
        assertThat(ledger().history()).containsExactly(new PeriodTotal(Instant.parse("2026-03-10T00:00:00Z"), 0, 0));
    }

    private SpendKeyLedger ledger() {
        return registry.ledgers().get(0);
    }
}
