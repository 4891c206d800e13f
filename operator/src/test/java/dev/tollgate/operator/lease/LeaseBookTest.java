package dev.tollgate.operator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.api.BudgetSpec;
import dev.tollgate.operator.api.RateLimitSpec;
import dev.tollgate.operator.api.SpendKeyLease;
import dev.tollgate.operator.api.SpendKeyPeriod;
import dev.tollgate.operator.api.SpendKeySpec;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import dev.tollgate.sidecar.metering.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ledger at chosen instants: what a sidecar and {@code kubectl get spendkey -o yaml} would see. */
class LeaseBookTest {
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
    private static final SpendKeySpec TEN_DOLLARS_MONTHLY = spec("10.00", "monthly", null);

    private SpendKeyStatus status;

    @Test
    void aGrantTopsTheLeaseUpToWhatItWantsWithinWhatIsLeft() {
        LeaseGrant a = call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("a", 1, 0, usd("4")));
        assertThat(a.grantedMicros()).isEqualTo(usd("4"));
        assertThat(a.keyRemainingMicros()).isEqualTo(usd("6"));
        assertThat(a.state()).isEqualTo("Active");
        assertThat(a.expiresAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(a.periodStart()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(a.error()).isNull();

        LeaseGrant b = call(TEN_DOLLARS_MONTHLY, T0, "pod-b", report("b", 1, 0, usd("8")));
        assertThat(b.grantedMicros()).as("only what a's lease leaves").isEqualTo(usd("6"));
        assertThat(status.reserved()).isEqualTo("10.00");
        assertThat(status.spent()).isEqualTo("0.00");
        assertThat(status.remaining()).isEqualTo("10.00");

        // a spent 3 and wants 4 unspent again: 1 is left on its lease, nothing on the key.
        LeaseGrant more = call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(1), "pod-a", report("a", 2, usd("3"), usd("4")));
        assertThat(more.grantedMicros()).isEqualTo(usd("4"));
        assertThat(more.keyRemainingMicros()).isZero();
        assertThat(status.spent()).isEqualTo("3.00");
        assertThat(status.reserved()).isEqualTo("7.00");
        assertThat(status.remaining()).isEqualTo("7.00");
    }

    @Test
    void aRetriedReportCountsNothingTwiceAndGetsTheSameAnswer() {
        call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("a", 1, 0, usd("2")));
        LeaseGrant first = call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(1), "pod-a", report("a", 2, usd("1.5"), usd("2")));
        SpendKeyStatus afterFirst = status;
        LeaseGrant retried = call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(2), "pod-a", report("a", 2, usd("1.5"), usd("2")));

        assertThat(retried).isEqualTo(first);
        assertThat(status).isEqualTo(afterFirst);
        assertThat(status.spent()).isEqualTo("1.50");
        assertThat(status.requests()).isEqualTo(2);
    }

    @Test
    void reportsThatCannotBeTrueAreRefusedAndChangeNothing() {
        call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("a", 1, 0, usd("2")));
        call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("a", 2, usd("1"), usd("2")));
        SpendKeyStatus before = status;

        LeaseGrant backwards = call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("a", 3, usd("0.5"), usd("2")));
        assertThat(backwards.error()).contains("backwards");
        assertThat(backwards.sequence()).as("the lease as recorded").isEqualTo(2);
        LeaseGrant stolen = call(TEN_DOLLARS_MONTHLY, T0, "pod-b", report("a", 3, usd("9"), usd("9")));
        assertThat(stolen.error()).contains("another pod");
        assertThat(stolen.grantedMicros()).isZero();
        LeaseGrant negative = call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("c", 1, -5, usd("1")));
        assertThat(negative.error()).contains("negative");
        LeaseGrant noId = call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report(" ", 1, 0, usd("1")));
        assertThat(noId.error()).contains("lease id");
        LeaseGrant hugeId = call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("x".repeat(100_000), 1, 0, usd("1")));
        assertThat(hugeId.error()).contains("lease id");

        assertThat(status).isEqualTo(before);
    }

    @Test
    void aLeaseUnreportedFor30SecondsCountsWholeUntilALateReportTellsTheTruth() {
        call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("a", 1, 0, usd("4")));
        call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(5), "pod-a", report("a", 2, usd("1"), usd("4")));
        // 4 granted → 5 after the top-up; 1 spent: 4 unspent.
        settle(TEN_DOLLARS_MONTHLY, T0.plusSeconds(34));
        assertThat(lease("a").expired()).isFalse();

        settle(TEN_DOLLARS_MONTHLY, T0.plusSeconds(35));
        assertThat(lease("a").expired()).isTrue();
        assertThat(status.spent()).isEqualTo("5.00");
        assertThat(status.unreconciled()).isEqualTo("4.00");
        assertThat(status.reserved()).isEqualTo("0.00");
        assertThat(status.remaining()).isEqualTo("5.00");

        // The operator was away; the sidecar's report arrives late: 2.25 spent in all.
        LeaseGrant late = call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(600), "pod-a", report("a", 3, usd("2.25"), usd("1")));
        assertThat(status.spent()).isEqualTo("2.25");
        assertThat(status.unreconciled()).isEqualTo("0.00");
        assertThat(lease("a").expired()).as("its holder lives: the lease is open again").isFalse();
        assertThat(status.reserved()).isEqualTo("2.75");
        assertThat(late.grantedMicros()).isEqualTo(usd("5"));
        assertThat(late.expiresAt()).isEqualTo(T0.plusSeconds(630));
    }

    @Test
    void tombstonesGoAfterAnHourAndAReleaseReturnsTheUnspentPart() {
        call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("a", 1, 0, usd("4")));
        call(TEN_DOLLARS_MONTHLY, T0, "pod-b", report("b", 1, 0, usd("4")));
        LeaseGrant released = call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(1), "pod-b", release("b", 2, usd("1")));
        assertThat(released.error()).isNull();
        assertThat(lease("b").released()).isTrue();
        assertThat(status.reserved()).isEqualTo("4.00");
        assertThat(status.spent()).isEqualTo("1.00");
        assertThat(call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(2), "pod-b", release("b", 2, usd("1")))).isEqualTo(released);
        assertThat(status.spent()).isEqualTo("1.00");

        settle(TEN_DOLLARS_MONTHLY, T0.plusSeconds(30));
        assertThat(status.leases()).extracting(SpendKeyLease::id).containsExactly("a", "b");
        settle(TEN_DOLLARS_MONTHLY, T0.plusSeconds(1).plus(Duration.ofHours(1)));
        assertThat(status.leases()).extracting(SpendKeyLease::id).containsExactly("a");
        settle(TEN_DOLLARS_MONTHLY, T0.plusSeconds(30).plus(Duration.ofHours(1)));
        assertThat(status.leases()).isEmpty();
        assertThat(status.spent()).as("a's 4 unreported, b's 1").isEqualTo("5.00");
        assertThat(status.unreconciled()).isEqualTo("4.00");
    }

    @Test
    void manyPodsComingAndGoingLeaveOnlyTheNewestTombstones() {
        int pods = LeaseBook.MAX_TOMBSTONES + 20;
        List<LeaseBook.HolderReport> reports = new ArrayList<>();
        for (int pod = 0; pod < pods; pod++) {
            reports.add(new LeaseBook.HolderReport("pod-" + pod, report("l" + pod, 1, 0, usd("0.01"))));
            reports.add(new LeaseBook.HolderReport("pod-" + pod, release("l" + pod, 2, usd("0.01"))));
        }
        status = LeaseBook.apply(null, TEN_DOLLARS_MONTHLY, false, T0, reports).status();
        call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(1), "pod-new", report("open", 1, 0, usd("1")));

        assertThat(status.leases()).hasSize(LeaseBook.MAX_TOMBSTONES + 1);
        assertThat(status.leases()).extracting(SpendKeyLease::id).doesNotContain("l0", "l19").contains("l20", "l" + (pods - 1), "open");
        assertThat(status.spent()).as("what the dropped ones spent still counts").isEqualTo(Money.formatUsd(pods * usd("0.01")));
        assertThat(status.reserved()).isEqualTo("1.00");
    }

    @Test
    void aReleasedLeaseGrantsNothingMoreWhateverItsHolderSendsAfter() {
        call(TEN_DOLLARS_MONTHLY, T0, "pod-a", report("a", 1, 0, usd("4")));
        call(TEN_DOLLARS_MONTHLY, T0, "pod-b", report("b", 1, 0, usd("4")));
        call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(1), "pod-b", release("b", 2, usd("1")));

        // Against the protocol, b's holder reports on the released lease again and wants more.
        LeaseGrant after = call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(2), "pod-b", report("b", 3, usd("1.5"), usd("4")));
        assertThat(after.grantedMicros()).as("what it held when released").isEqualTo(usd("4"));
        assertThat(status.spent()).as("its spend still counts: it happened").isEqualTo("1.50");
        LeaseGrant c = call(TEN_DOLLARS_MONTHLY, T0.plusSeconds(2), "pod-c", report("c", 1, 0, usd("10")));
        assertThat(c.grantedMicros()).as("10 - 1.50 spent - a's 4").isEqualTo(usd("4.5"));
        assertThat(status.reserved()).isEqualTo("8.50");
    }

    @Test
    void aNewPeriodMovesTheOldOneToHistoryAndItsLeasesGrantNothingMore() {
        SpendKeySpec daily = spec("10.00", "daily", null);
        Instant lateEvening = Instant.parse("2026-03-10T23:59:50Z");
        call(daily, lateEvening, "pod-a", report("a", 1, 0, usd("4")));
        call(daily, lateEvening.plusSeconds(5), "pod-a", report("a", 2, usd("3"), usd("4")));

        Instant nextDay = Instant.parse("2026-03-11T00:00:01Z");
        LeaseGrant after = call(daily, nextDay, "pod-a", report("a", 3, usd("3.5"), usd("4")));
        assertThat(after.periodStart()).as("the closed period: release and open anew").isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
        assertThat(after.grantedMicros()).isEqualTo(usd("7"));
        assertThat(status.periodStart()).isEqualTo("2026-03-11T00:00:00Z");
        assertThat(status.spent()).isEqualTo("0.00");
        assertThat(status.reserved()).isEqualTo("0.00");
        assertThat(status.history()).singleElement().satisfies(p -> {
            assertThat(p.periodStart()).isEqualTo("2026-03-10T00:00:00Z");
            assertThat(p.spent()).as("the late settlement counts in its own period").isEqualTo("3.50");
            assertThat(p.requests()).isEqualTo(3);
        });

        LeaseGrant fresh = call(daily, nextDay, "pod-a", report("a2", 1, 0, usd("4")));
        assertThat(fresh.periodStart()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
        assertThat(fresh.grantedMicros()).isEqualTo(usd("4"));
        call(daily, nextDay, "pod-a", release("a", 4, usd("3.5")));
        assertThat(status.history().get(0).spent()).isEqualTo("3.50");
        assertThat(status.reserved()).isEqualTo("4.00");

        for (int day = 12; day <= 20; day++) {
            settle(daily, Instant.parse("2026-03-%dT08:00:00Z".formatted(day)));
        }
        assertThat(status.history()).hasSize(6).last().satisfies(p -> assertThat(p.periodStart()).isEqualTo("2026-03-19T00:00:00Z"));
    }

    @Test
    void aPeriodMadeLongerCountsTheShorterPeriodsItNowHolds() {
        SpendKeySpec daily = spec("10.00", "daily", null);
        spendAndRelease(daily, Instant.parse("2026-02-28T10:00:00Z"), "feb", usd("1"));
        spendAndRelease(daily, Instant.parse("2026-03-09T10:00:00Z"), "a", usd("4"));
        spendAndRelease(daily, Instant.parse("2026-03-10T10:00:00Z"), "b", usd("3"));
        Instant today = Instant.parse("2026-03-11T12:00:00Z");
        call(daily, today, "pod-c", report("c", 1, 0, usd("1")));
        call(daily, today.plusSeconds(1), "pod-c", report("c", 2, usd("1"), usd("1")));
        assertThat(status.spent()).isEqualTo("1.00");

        SpendKeySpec monthly = spec("10.00", "monthly", null);
        LeaseGrant c = call(monthly, today.plusSeconds(2), "pod-c", report("c", 3, usd("1.5"), usd("5")));
        assertThat(status.periodStart()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(status.spent()).as("March so far: 4 + 3 + 1.50").isEqualTo("8.50");
        assertThat(c.grantedMicros() - usd("1.5")).as("c holds what the month has left").isEqualTo(usd("1.5"));
        assertThat(status.history()).extracting(SpendKeyPeriod::periodStart).containsExactly("2026-02-28T00:00:00Z");
    }

    private void spendAndRelease(SpendKeySpec spec, Instant at, String lease, long spent) {
        call(spec, at, "pod-" + lease, report(lease, 1, 0, spent));
        call(spec, at.plusSeconds(1), "pod-" + lease, release(lease, 2, spent));
    }

    @Test
    void aReplicaWhoseClockIsBehindAtMidnightLeavesTheNewPeriodAsItIs() {
        SpendKeySpec daily = spec("10.00", "daily", null);
        Instant midnight = Instant.parse("2026-03-11T00:00:00Z");
        call(daily, midnight.minusSeconds(5), "pod-a", report("a", 1, 0, usd("4")));
        call(daily, midnight.minusSeconds(4), "pod-a", report("a", 2, usd("3"), usd("4")));
        // Replica A, on time, opens the new day; pod-b spends 2 in it.
        call(daily, midnight.plusMillis(10), "pod-b", report("b", 1, 0, usd("4")));
        call(daily, midnight.plusMillis(20), "pod-b", report("b", 2, usd("2"), usd("4")));

        // Replica B's clock is 50 ms behind: for it, yesterday has not ended.
        LeaseGrant late = call(daily, midnight.plusMillis(30).minusMillis(50), "pod-a", report("a", 3, usd("3"), usd("4")));
        assertThat(late.grantedMicros()).as("yesterday's lease grants nothing more").isEqualTo(usd("7"));
        assertThat(status.periodStart()).isEqualTo("2026-03-11T00:00:00Z");

        call(daily, midnight.plusSeconds(1), "pod-b", report("b", 3, usd("2.5"), usd("4")));
        assertThat(status.spent()).as("today's spend stays today's").isEqualTo("2.50");
        assertThat(status.history()).singleElement().satisfies(p -> {
            assertThat(p.periodStart()).isEqualTo("2026-03-10T00:00:00Z");
            assertThat(p.spent()).isEqualTo("3.00");
        });
    }

    @Test
    void aReplicaWhoseClockIsBehindGrantsNoMinuteTwice() {
        SpendKeySpec limited = spec(null, null, new RateLimitSpec(10, 1000));
        Instant minute = T0.plusSeconds(60);
        call(limited, minute.plusMillis(10), "pod-a", rated("a", 1, 10, 0));
        // Replica B, 50 ms behind, still in the minute before: the new minute's 10 requests are all given.
        LeaseGrant b = call(limited, minute.minusMillis(40), "pod-b", rated("b", 1, 10, 0));
        assertThat(b.grantedRequests()).isZero();
        LeaseGrant bAgain = call(limited, minute.plusMillis(500), "pod-b", rated("b", 2, 10, 0));
        assertThat(bAgain.grantedRequests()).isZero();
        assertThat(status.window().start()).isEqualTo(minute.toString());
        assertThat(status.window().requests()).isEqualTo(10);
    }

    @Test
    void rateAllowancesAreSharedPerMinuteAndStartAgainTheNextMinute() {
        SpendKeySpec limited = spec(null, null, new RateLimitSpec(10, 1000));
        LeaseGrant a = call(limited, T0.plusSeconds(3), "pod-a", rated("a", 1, 6, 700));
        assertThat(a.windowStart()).isEqualTo(T0);
        assertThat(a.grantedRequests()).isEqualTo(6);
        assertThat(a.grantedTokens()).isEqualTo(700);
        assertThat(a.grantedMicros()).as("no budget").isZero();
        assertThat(a.keyRemainingMicros()).isNull();
        LeaseGrant b = call(limited, T0.plusSeconds(4), "pod-b", rated("b", 1, 6, 700));
        assertThat(b.grantedRequests()).isEqualTo(4);
        assertThat(b.grantedTokens()).isEqualTo(300);
        assertThat(status.window().requests()).isEqualTo(10);
        LeaseGrant aMore = call(limited, T0.plusSeconds(5), "pod-a", rated("a", 2, 2, 0));
        assertThat(aMore.grantedRequests()).as("6 all told; nothing left this minute").isEqualTo(6);

        LeaseGrant nextMinute = call(limited, T0.plusSeconds(61), "pod-b", rated("b", 2, 3, 100));
        assertThat(nextMinute.windowStart()).isEqualTo(T0.plusSeconds(60));
        assertThat(nextMinute.grantedRequests()).isEqualTo(3);
        assertThat(status.window().requests()).isEqualTo(3);
        assertThat(lease("a").windowRequests()).isZero();
    }

    @Test
    void aSuspendedExpiredOrInvalidKeyCountsReportsButGrantsNothing() {
        SpendKeySpec suspended = new SpendKeySpec(null, new BudgetSpec("10.00", "monthly"), List.of(), null, null, true, null);
        LeaseGrant grant = call(suspended, T0, "pod-a", report("a", 1, usd("1"), usd("4")));
        assertThat(grant.state()).isEqualTo("Suspended");
        assertThat(grant.grantedMicros()).isZero();
        assertThat(status.spent()).isEqualTo("1.00");

        SpendKeySpec expired = new SpendKeySpec(null, new BudgetSpec("10.00", "monthly"), List.of(), null, "2026-03-01T00:00:00Z",
                false, null);
        assertThat(call(expired, T0, "pod-a", report("a", 2, usd("1"), usd("4"))).state()).isEqualTo("Expired");
        LeaseBook.Result invalid = LeaseBook.apply(status, TEN_DOLLARS_MONTHLY, true, T0,
                List.of(new LeaseBook.HolderReport("pod-a", report("a", 3, usd("1"), usd("4")))));
        assertThat(invalid.grants().get(0).state()).isEqualTo("Invalid");
        assertThat(invalid.grants().get(0).grantedMicros()).isZero();
        assertThat(invalid.denied()).isEqualTo(1);
    }

    @Test
    void anExhaustedKeyAnswersBudgetExhaustedAndCountsTheDenial() {
        SpendKeySpec one = spec("1.00", "monthly", null);
        call(one, T0, "pod-a", report("a", 1, 0, usd("1")));
        LeaseBook.Result result = LeaseBook.apply(status, one, false, T0,
                List.of(new LeaseBook.HolderReport("pod-a", report("a", 2, usd("1.2"), usd("1")))));
        assertThat(result.grants().get(0).state()).isEqualTo("BudgetExhausted");
        assertThat(result.grants().get(0).grantedMicros()).isEqualTo(usd("1"));
        assertThat(result.status().spent()).as("overspend is counted: it happened").isEqualTo("1.20");
        assertThat(result.status().remaining()).isEqualTo("0.00");
        assertThat(result.denied()).isEqualTo(1);
        assertThat(result.granted()).isZero();
    }

    /**
     * Many pods, random reports (some retried, some lost, some late, some releases), random pauses
     * that let leases expire: whatever happens, no state after a grant has spent + reserved above the
     * limit while every sidecar spends only what its lease holds, and once every lease is released
     * spent is exactly what the sidecars spent.
     */
    @Test
    void neverOverspendsWhateverTheReportsDo() {
        int fullyCommitted = 0;
        for (long seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            long limit = 1 + random.nextInt(20_000_000);
            SpendKeySpec spec = spec(Money.formatUsd(limit), "total", null);
            status = null;
            Instant now = T0;
            Map<String, long[]> sidecars = new HashMap<>(); // lease id → {sequence, spent, granted known, released}
            List<String> ids = new ArrayList<>();
            for (int step = 0; step < 200; step++) {
                now = now.plusMillis(random.nextInt(10) == 0 ? 40_000 : random.nextInt(2_000));
                if (ids.isEmpty() || random.nextInt(8) == 0) {
                    String id = "lease-" + ids.size();
                    ids.add(id);
                    sidecars.put(id, new long[] {0, 0, 0, 0});
                }
                String id = ids.get(random.nextInt(ids.size()));
                long[] sidecar = sidecars.get(id);
                if (sidecar[3] == 1) {
                    continue;
                }
                boolean retry = sidecar[0] > 0 && random.nextInt(6) == 0;
                if (!retry) {
                    sidecar[0]++;
                    sidecar[1] += random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * (sidecar[2] - sidecar[1]));
                }
                boolean release = !retry && random.nextInt(10) == 0;
                sidecar[3] = release ? 1 : 0; // a sidecar that releases spends no more on the lease, answered or not
                LeaseReport report = new LeaseReport("bot", id, null, sidecar[0], sidecar[1], sidecar[0], 0, 0, null,
                        random.nextInt(limit > 1 ? (int) Math.min(limit, Integer.MAX_VALUE) : 1), 0, 0, release);
                LeaseBook.Result result = LeaseBook.apply(status, spec, false, now,
                        List.of(new LeaseBook.HolderReport("pod-" + id, report)));
                LeaseGrant grant = result.grants().get(0);
                boolean lost = random.nextInt(10) == 0; // the answer never reaches the sidecar
                if (!lost && grant.error() == null) {
                    sidecar[2] = Math.max(sidecar[2], grant.grantedMicros());
                }
                status = result.status();
                long spent = Money.parseUsd(status.spent());
                long reserved = Money.parseUsd(status.reserved());
                assertThat(spent + reserved).as("seed %d step %d", seed, step).isLessThanOrEqualTo(limit);
                fullyCommitted += spent + reserved == limit ? 1 : 0;
            }
            for (String id : ids) {
                long[] sidecar = sidecars.get(id);
                LeaseBook.Result result = LeaseBook.apply(status, spec, false, now, List.of(new LeaseBook.HolderReport("pod-" + id,
                        new LeaseReport("bot", id, null, sidecar[0] + 1, sidecar[1], sidecar[0] + 1, 0, 0, null, 0, 0, 0, true))));
                status = result.status();
            }
            long spentBySidecars = sidecars.values().stream().mapToLong(s -> s[1]).sum();
            assertThat(Money.parseUsd(status.spent())).as("seed %d", seed).isEqualTo(spentBySidecars);
            assertThat(status.unreconciled()).isEqualTo("0.00");
            assertThat(status.reserved()).isEqualTo("0.00");
        }
        assertThat(fullyCommitted).as("the budget was often taken to its last micro-dollar").isGreaterThan(1000);
    }

    private LeaseGrant call(SpendKeySpec spec, Instant now, String holder, LeaseReport report) {
        LeaseBook.Result result = LeaseBook.apply(status, spec, false, now, List.of(new LeaseBook.HolderReport(holder, report)));
        status = result.status();
        return result.grants().get(0);
    }

    private void settle(SpendKeySpec spec, Instant now) {
        status = LeaseBook.apply(status, spec, false, now, List.of()).status();
    }

    private SpendKeyLease lease(String id) {
        return status.leases().stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
    }

    /** A report with {@code sequence} requests so far, 100 input and 10 output tokens each. */
    private static LeaseReport report(String lease, long sequence, long spent, long want) {
        return new LeaseReport("bot", lease, null, sequence, spent, sequence, 100 * sequence, 10 * sequence,
                spent > 0 ? T0 : null, want, 0, 0, false);
    }

    private static LeaseReport release(String lease, long sequence, long spent) {
        return new LeaseReport("bot", lease, null, sequence, spent, sequence, 100 * sequence, 10 * sequence, T0, 0, 0, 0, true);
    }

    private static LeaseReport rated(String lease, long sequence, long wantRequests, long wantTokens) {
        return new LeaseReport("bot", lease, null, sequence, 0, 0, 0, 0, null, 0, wantRequests, wantTokens, false);
    }

    private static SpendKeySpec spec(String limit, String period, RateLimitSpec rate) {
        return new SpendKeySpec(null, limit == null ? null : new BudgetSpec(limit, period), List.of(), rate, null, false, null);
    }

    private static long usd(String usd) {
        return Money.parseUsd(usd);
    }
}
