package dev.tollgate.sidecar.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.config.Enforcement;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The arithmetic of a lease granted by the operator, with the operator's answers written by hand. */
class RemoteBudgetLeaseTest {
    private static final String MAY = "2026-05-10T12:00:30Z";
    private final TestClock clock = new TestClock(MAY);
    private final AtomicInteger asks = new AtomicInteger();

    private static SpendKeyConfig key(Long budgetMicros, Integer rpm, Integer tpm, Enforcement enforcement) {
        return new SpendKeyConfig("team-a/bot", "0".repeat(64), List.of(), budgetMicros, BudgetPeriod.MONTHLY,
                rpm, tpm, null, false, enforcement);
    }

    private RemoteBudgetLease lease(SpendKeyConfig config) {
        return new RemoteBudgetLease(config, 0, clock, asks::incrementAndGet);
    }

    /** The operator's answer to a report: the lease holds {@code grantedMicros} all told, for 30 s. */
    private LeaseGrant grant(LeaseReport report, long grantedMicros, Long keyRemainingMicros) {
        return new LeaseGrant(report.key(), report.lease(), report.sequence(), report.periodStart(), grantedMicros,
                null, 0, 0, clock.instant().plusSeconds(30), "Active", keyRemainingMicros, null);
    }

    /** A wait whose need a lease first counted at {@code askedNanos}. */
    private static LeaseWait askedAt(long askedNanos, long deadlineNanos) {
        LeaseWait wait = new LeaseWait(deadlineNanos);
        wait.asked = true;
        wait.askedNanos = askedNanos;
        return wait;
    }

    private static LeaseReport only(List<LeaseReport> reports) {
        assertThat(reports).hasSize(1);
        return reports.get(0);
    }

    @Test
    void reservesWithinGrantedMinusSpentMinusOutstanding() {
        RemoteBudgetLease lease = lease(key(10_000L, null, null, Enforcement.STRICT));
        assertThat(lease.tryReserve(1, 0)).as("no grant yet: strict serves nothing").isEqualTo(Shortfall.BUDGET);

        LeaseReport first = only(lease.reports());
        assertThat(first.key()).isEqualTo("bot");
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.periodStart()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
        lease.apply(grant(first, 1_000, 9_000L));

        assertThat(lease.tryReserve(600, 10)).isEqualTo(Shortfall.NONE);
        assertThat(lease.remainingMicros()).isEqualTo(400);
        assertThat(lease.tryReserve(500, 10)).isEqualTo(Shortfall.BUDGET);
        lease.settle(600, 10, 200, 8, 30, clock.instant());
        assertThat(lease.remainingMicros()).isEqualTo(800);
        assertThat(lease.tryReserve(500, 10)).isEqualTo(Shortfall.NONE);
        lease.cancel(500, 10);
        assertThat(lease.remainingMicros()).isEqualTo(800);

        LeaseReport second = only(lease.reports());
        assertThat(second.lease()).isEqualTo(first.lease());
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second).extracting(LeaseReport::spentMicros, LeaseReport::requests, LeaseReport::inputTokens,
                LeaseReport::outputTokens, LeaseReport::lastUsedAt).containsExactly(200L, 1L, 8L, 30L, clock.instant());
    }

    @Test
    void aLostAnswerIsAskedAgainWithTheSameFiguresAndTheNextSequence() {
        RemoteBudgetLease lease = lease(key(10_000L, null, null, Enforcement.STRICT));
        lease.apply(grant(only(lease.reports()), 1_000, 9_000L));
        lease.tryReserve(100, 0);
        lease.settle(100, 0, 70, 1, 1, clock.instant());

        LeaseReport lost = only(lease.reports());
        lease.unreachable();
        LeaseReport retry = only(lease.reports());

        assertThat(retry.sequence()).isEqualTo(lost.sequence() + 1);
        assertThat(retry.spentMicros()).isEqualTo(lost.spentMicros()).isEqualTo(70);
        assertThat(retry.requests()).isEqualTo(lost.requests()).isEqualTo(1);
    }

    @Test
    void wantsAboutTenSecondsOfSpendAndAtLeastTheLargestRecentReservation() {
        RemoteBudgetLease lease = lease(key(1_000_000L, null, null, Enforcement.STRICT));
        lease.apply(grant(only(lease.reports()), 100_000, 900_000L));
        for (int second = 0; second < 10; second++) {
            assertThat(lease.tryReserve(5_000, 0)).isEqualTo(Shortfall.NONE);
            lease.settle(5_000, 0, 2_000, 1, 1, clock.instant());
            clock.advance(Duration.ofSeconds(1));
        }
        // 9 of those seconds are in the last ten: 18,000 spent; the largest reservation was 5,000.
        assertThat(only(lease.reports()).wantMicros()).isEqualTo(18_000);

        assertThat(lease.tryReserve(40_000, 0)).isEqualTo(Shortfall.NONE);
        assertThat(only(lease.reports()).wantMicros()).as("outstanding plus the largest reservation")
                .isEqualTo(40_000 + 40_000);
        lease.settle(40_000, 0, 1_000, 1, 1, clock.instant());

        clock.advance(Duration.ofSeconds(61));
        List<LeaseReport> idle = lease.reports();
        assertThat(idle).as("an idle minute later the unspent budget goes back and a new term wants nothing").hasSize(2);
        assertThat(idle.get(0).release()).isTrue();
        assertThat(idle.get(1).release()).isFalse();
        assertThat(idle.get(1).lease()).isNotEqualTo(idle.get(0).lease());
        assertThat(idle.get(1).wantMicros()).isZero();
    }

    @Test
    void reportsOnlyWhatIsNewOrWantedOrAboutToExpire() {
        RemoteBudgetLease lease = lease(key(1_000_000L, null, null, Enforcement.STRICT));
        lease.apply(grant(only(lease.reports()), 100_000, 900_000L));
        assertThat(lease.tryReserve(5_000, 0)).isEqualTo(Shortfall.NONE);
        lease.settle(5_000, 0, 2_000, 1, 1, clock.instant());
        lease.apply(grant(only(lease.reports()), 100_000, 898_000L));

        assertThat(lease.reports()).as("the operator has every figure and the lease holds enough").isEmpty();

        clock.advance(LeaseTerm.REFRESH_BEFORE_EXPIRY.plusSeconds(1));
        assertThat(only(lease.reports()).spentMicros()).as("refreshed before the operator would expire it").isEqualTo(2_000);
    }

    @Test
    void asksForARoundWhenUnderAThirdIsLeftOrARequestWaits() {
        RemoteBudgetLease lease = lease(key(1_000_000L, null, null, Enforcement.STRICT));
        long start = System.nanoTime();
        lease.apply(grant(only(lease.reports()), 900, 900_000L));
        asks.set(0);
        lease.tryReserve(500, 0);
        assertThat(asks).as("400 of 900 left").hasValue(0);
        lease.tryReserve(150, 0);
        assertThat(asks).as("250 of 900 left: under a third").hasValue(1);
        lease.tryReserve(10, 0);
        assertThat(asks).as("asked once per grant").hasValue(1);

        assertThat(lease.whenMore(1_000, 0, askedAt(start, System.nanoTime())).getNow(null))
                .as("deadline passed, the operator answered since, nothing changed").isFalse();
        assertThat(asks).hasValue(2);
    }

    @Test
    void aWaitingRequestWakesWhenAnAnswerArrives() throws Exception {
        RemoteBudgetLease lease = lease(key(1_000_000L, null, null, Enforcement.STRICT));
        LeaseReport report = only(lease.reports());
        Thread answer = new Thread(() -> {
            while (asks.get() == 0) {
                Thread.onSpinWait();
            }
            lease.apply(grant(report, 5_000, 995_000L));
        });
        answer.start();
        assertThat(lease.whenMore(5_000, 0, new LeaseWait(System.nanoTime() + Duration.ofSeconds(10).toNanos()))
                .get(10, TimeUnit.SECONDS)).isTrue();
        answer.join();
        assertThat(lease.tryReserve(5_000, 0)).isEqualTo(Shortfall.NONE);
    }

    @Test
    void aRequestThatStopsWaitingLeavesTheNextReportsWant() {
        RemoteBudgetLease lease = lease(key(1_000_000L, null, null, Enforcement.STRICT));
        lease.apply(grant(only(lease.reports()), 1_000, 999_000L));
        List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            assertThat(lease.tryReserve(5_000, 0)).isEqualTo(Shortfall.BUDGET);
            waiting.add(lease.whenMore(5_000, 0, new LeaseWait(System.nanoTime() + Duration.ofSeconds(30).toNanos())));
        }

        waiting.get(0).cancel(false); // its client left

        assertThat(only(lease.reports()).wantMicros()).as("one waiting request, and the largest reservation to come")
                .isEqualTo(5_000 + 5_000);
        assertThat(waiting.get(1)).isNotDone();
    }

    @Test
    void requestsWaitingForMoreAreInTheNextReportsWant() throws Exception {
        RemoteBudgetLease lease = lease(key(1_000_000L, null, null, Enforcement.STRICT));
        lease.apply(grant(only(lease.reports()), 1_000, 999_000L));
        asks.set(0);
        List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(lease.tryReserve(5_000, 0)).isEqualTo(Shortfall.BUDGET);
            waiting.add(lease.whenMore(5_000, 0, new LeaseWait(System.nanoTime() + Duration.ofSeconds(30).toNanos())));
        }
        while (asks.get() < 3) {
            Thread.onSpinWait();
        }

        LeaseReport report = only(lease.reports());
        assertThat(report.wantMicros()).as("three waiting requests, and the largest reservation to come")
                .isEqualTo(3 * 5_000 + 5_000);
        lease.apply(grant(report, 21_000, 979_000L));
        for (CompletableFuture<Boolean> request : waiting) {
            assertThat(request.get(10, TimeUnit.SECONDS)).isTrue();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(lease.tryReserve(5_000, 0)).as("one answer covers every waiting request").isEqualTo(Shortfall.NONE);
        }
    }

    @Test
    void pastItsOwnWaitARequestWaitsForTheAnswerToACallMadeSinceItBeganWaiting() throws Exception {
        RemoteBudgetLease lease = lease(key(1_000_000L, null, null, Enforcement.STRICT));
        lease.apply(grant(only(lease.reports()), 1_000, 999_000L));
        lease.tryReserve(800, 0);
        LeaseReport inFlight = only(lease.reports()); // a call on its way before the request came
        asks.set(0);
        CompletableFuture<Boolean> request = lease.whenMore(5_000, 0, new LeaseWait(System.nanoTime() + Duration.ofMillis(50).toNanos()));
        while (asks.get() == 0) {
            Thread.onSpinWait();
        }
        Thread.sleep(200); // the request's own wait is over; the operator is slow on a busy cluster
        lease.apply(grant(inFlight, 1_000, 999_000L));
        long beforeTheCall = System.nanoTime();
        LeaseReport carrying = only(lease.reports()); // the next call asks for the request too
        assertThat(carrying.wantMicros()).isGreaterThanOrEqualTo(800 + 5_000);
        assertThat(request).as("the answer to a call made before it began waiting does not end its wait").isNotDone();
        lease.apply(grant(carrying, 6_500, 993_500L));

        assertThat(request.get(10, TimeUnit.SECONDS)).as("it waited for the answer that covers it").isTrue();
        assertThat(lease.tryReserve(5_000, 0)).isEqualTo(Shortfall.NONE);
        assertThat(lease.whenMore(10_000, 0, askedAt(beforeTheCall, System.nanoTime())).getNow(null))
                .as("answered since it began waiting, and past its deadline: refused").isFalse();
    }

    @Test
    void strictServesOnlyWhatTheLeaseHoldsAndNothingOnceExpired() {
        RemoteBudgetLease lease = lease(key(10_000L, null, null, Enforcement.STRICT));
        lease.apply(grant(only(lease.reports()), 1_000, 9_000L));
        lease.unreachable();
        assertThat(lease.tryReserve(1_000, 0)).isEqualTo(Shortfall.NONE);
        assertThat(lease.tryReserve(1, 0)).isEqualTo(Shortfall.BUDGET);
        lease.settle(1_000, 0, 400, 1, 1, clock.instant());
        assertThat(lease.remainingMicros()).isEqualTo(600);

        clock.advance(Duration.ofSeconds(30));
        assertThat(lease.remainingMicros()).isZero();
        assertThat(lease.tryReserve(1, 0)).isEqualTo(Shortfall.BUDGET);
    }

    @Test
    void lenientCutOffServesUpToTheKeysLastKnownRemainingBudget() {
        RemoteBudgetLease lease = lease(key(10_000L, null, null, Enforcement.LENIENT));
        lease.apply(grant(only(lease.reports()), 1_000, 4_000L));
        assertThat(lease.tryReserve(1_001, 0)).as("reachable: the lease is the limit").isEqualTo(Shortfall.BUDGET);

        lease.unreachable();
        clock.advance(Duration.ofMinutes(5)); // long expired
        assertThat(lease.remainingMicros()).isEqualTo(5_000);
        assertThat(lease.tryReserve(3_000, 0)).isEqualTo(Shortfall.NONE);
        lease.settle(3_000, 0, 3_000, 1, 1, clock.instant());
        assertThat(lease.tryReserve(2_000, 0)).isEqualTo(Shortfall.NONE);
        assertThat(lease.tryReserve(1, 0)).isEqualTo(Shortfall.BUDGET);
        lease.settle(2_000, 0, 2_000, 1, 1, clock.instant());

        // Back: the old term's report carries every micro spent while away.
        LeaseReport back = only(lease.reports());
        assertThat(back.spentMicros()).isEqualTo(5_000);
        assertThat(back.requests()).isEqualTo(2);
    }

    @Test
    void anAnswerWhoseExpiryLooksPastToThisSidecarsClockKeepsTheLeaseId() {
        // The operator answers every report with its own clock + 30 s (a late report reopens an expired lease), so
        // an expiry already past here means this clock runs ahead. A new id per answer would leave the SpendKey's
        // status a tombstone per answer, kept for an hour: the lease keeps its id and reports every round.
        RemoteBudgetLease lease = lease(key(10_000L, null, null, Enforcement.STRICT));
        LeaseReport opening = only(lease.reports());
        lease.apply(new LeaseGrant("bot", opening.lease(), 1, opening.periodStart(), 1_000, null, 0, 0,
                clock.instant().minusSeconds(10), "Active", 9_000L, null));

        LeaseReport next = only(lease.reports());
        assertThat(next.lease()).isEqualTo(opening.lease());
        assertThat(next.release()).isFalse();
    }

    @Test
    void aNewPeriodReleasesTheOldTermAndOpensANewOneKeepingOutstandingReservations() {
        RemoteBudgetLease lease = lease(key(10_000L, null, null, Enforcement.STRICT));
        LeaseReport may = only(lease.reports());
        lease.apply(grant(may, 2_000, 8_000L));
        lease.tryReserve(700, 0);
        lease.settle(700, 0, 700, 1, 1, clock.instant());
        lease.tryReserve(1_000, 0); // in flight across midnight

        clock.set("2026-06-01T00:00:05Z");
        List<LeaseReport> reports = lease.reports();
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).extracting(LeaseReport::lease, LeaseReport::periodStart, LeaseReport::spentMicros,
                LeaseReport::release).containsExactly(may.lease(), may.periodStart(), 700L, true);
        LeaseReport june = reports.get(1);
        assertThat(june.lease()).isNotEqualTo(may.lease());
        assertThat(june.periodStart()).isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));
        assertThat(june.wantMicros()).as("holds the outstanding reservation and more").isGreaterThanOrEqualTo(1_000);

        lease.settle(1_000, 0, 600, 1, 1, clock.instant());
        assertThat(only(lease.reports().subList(1, 2)).spentMicros()).as("settled in the new period").isEqualTo(600);
    }

    @Test
    void anAnswerToAReportSentBeforeTheNewPeriodDoesNotCountAsTheRelease() {
        RemoteBudgetLease lease = lease(key(10_000L, null, null, Enforcement.STRICT));
        LeaseReport may = only(lease.reports());
        clock.set("2026-06-01T00:00:05Z");
        lease.apply(grant(may, 2_000, 8_000L)); // answered after midnight

        List<LeaseReport> reports = lease.reports();
        assertThat(reports.get(0)).extracting(LeaseReport::lease, LeaseReport::release).containsExactly(may.lease(), true);
    }

    @Test
    void aLeaseTheOperatorOpenedInThePeriodBeforeIsReplacedByOneOfTheNewPeriod() {
        // This sidecar's clock reached June a moment before the operator's: the operator opens the lease in May,
        // and a May lease grants nothing once the operator reaches June too.
        clock.set("2026-06-01T00:00:00.020Z");
        RemoteBudgetLease lease = lease(key(10_000L, null, null, Enforcement.STRICT));
        LeaseReport opening = only(lease.reports());
        assertThat(opening.periodStart()).isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));
        Instant may = Instant.parse("2026-05-01T00:00:00Z");
        lease.apply(new LeaseGrant("bot", opening.lease(), 1, may, 1_000, null, 0, 0, clock.instant().plusSeconds(30),
                "Active", 9_000L, null));

        List<LeaseReport> next = lease.reports();
        assertThat(next).as("the May lease released, a new one opened").hasSize(2);
        assertThat(next.get(0)).extracting(LeaseReport::lease, LeaseReport::release).containsExactly(opening.lease(), true);
        assertThat(next.get(1).lease()).isNotEqualTo(opening.lease());
        assertThat(next.get(1).release()).isFalse();
        assertThat(next.get(1).periodStart()).isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));
    }

    @Test
    void aRetiredKeyIsReleasedOnceItsRequestsAreSettled() {
        RemoteBudgetLease lease = lease(key(10_000L, null, null, Enforcement.STRICT));
        lease.apply(grant(only(lease.reports()), 2_000, 8_000L));
        lease.tryReserve(500, 0);
        lease.retire();

        LeaseReport inFlight = only(lease.reports());
        assertThat(inFlight.release()).isFalse();
        assertThat(inFlight.wantMicros()).isZero();
        lease.settle(500, 0, 100, 1, 1, clock.instant());

        LeaseReport release = only(lease.reports());
        assertThat(release.release()).isTrue();
        assertThat(release.spentMicros()).isEqualTo(100);
        assertThat(lease.finished()).as("not before the operator answered").isFalse();
        lease.apply(grant(release, 100, 9_900L));
        assertThat(lease.finished()).isTrue();
        assertThat(lease.reports()).isEmpty();
    }

    @Test
    void rateAllowancesBoundRequestsAndTokensWithinTheirMinute() {
        RemoteBudgetLease lease = lease(key(null, 600, 10_000, Enforcement.STRICT));
        LeaseReport first = only(lease.reports());
        assertThat(first.wantMicros()).isZero();
        assertThat(first.wantRequests()).isEqualTo(1);
        assertThat(lease.tryReserve(0, 100)).isEqualTo(Shortfall.REQUESTS);
        assertThat(only(lease.reports()).wantTokens()).as("the refused request's tokens").isEqualTo(100);

        Instant minute = Instant.parse("2026-05-10T12:00:00Z");
        lease.apply(new LeaseGrant("bot", first.lease(), 2, first.periodStart(), 0, minute, 2, 150,
                clock.instant().plusSeconds(30), "Active", null, null));
        assertThat(lease.tryReserve(0, 100)).isEqualTo(Shortfall.NONE);
        assertThat(lease.tryReserve(0, 100)).isEqualTo(Shortfall.TOKENS);
        assertThat(lease.tryReserve(0, 50)).isEqualTo(Shortfall.NONE);
        assertThat(lease.tryReserve(0, 0)).isEqualTo(Shortfall.REQUESTS);
        assertThat(lease.remainingMicros()).as("no budget").isEqualTo(Long.MAX_VALUE);

        clock.set("2026-05-10T12:01:00Z");
        assertThat(lease.tryReserve(0, 0)).as("the allowance was for the last minute").isEqualTo(Shortfall.REQUESTS);
    }

    @Test
    void aKeyWithoutBudgetOrRateLimitReportsItsUseAndWantsNothing() {
        RemoteBudgetLease lease = lease(key(null, null, null, Enforcement.STRICT));
        assertThat(lease.tryReserve(123, 10)).isEqualTo(Shortfall.NONE);
        lease.settle(123, 10, 99, 10, 20, clock.instant());
        LeaseReport report = only(lease.reports());
        assertThat(report).extracting(LeaseReport::spentMicros, LeaseReport::requests, LeaseReport::inputTokens,
                LeaseReport::outputTokens, LeaseReport::wantMicros, LeaseReport::wantRequests, LeaseReport::wantTokens)
                .containsExactly(99L, 1L, 10L, 20L, 0L, 0L, 0L);
    }
}
