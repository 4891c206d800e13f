package dev.tollgate.operator.lease;

import static dev.tollgate.operator.lease.LeaseCluster.COST_MICROS;
import static dev.tollgate.operator.lease.LeaseCluster.budgetSpec;
import static dev.tollgate.operator.lease.LeaseCluster.leaseOf;
import static dev.tollgate.operator.lease.LeaseCluster.micros;
import static dev.tollgate.operator.lease.LeaseCluster.spentMicros;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.api.SpendKeyLease;
import dev.tollgate.operator.api.SpendKeyPeriod;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.sidecar.metering.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What time does to leases, end to end: a pod that dies holding a lease, and a budget day that ends. The
 * operator replicas and the sidecars share a clock the test moves ahead, as they share the wall clock in a cluster.
 */
class LeaseExpiryAndRollOverTest extends WithLeaseCluster {
    private static final int PODS = 4;

    @Test
    void theLeaseOfAPodKilledWithoutReleasingSettlesAsUnreconciledAtItsExpiry() throws Exception {
        startCluster(Instant.parse("2030-01-15T12:00:00Z"));
        long limit = 200 * COST_MICROS;
        SpendKeyRef shared = cluster.spendKey("shared", budgetSpec(limit, "monthly", "strict"));
        cluster.startOperator();
        List<SidecarPod> pods = cluster.startPods(PODS);
        for (SidecarPod pod : pods) {
            pod.serve(shared, 3);
        }
        SidecarPod victim = pods.get(0);
        long spentBefore = spentMicros(pods, shared);
        cluster.awaitStatus("shared", "all reported and the victim holding more than it spent", s -> micros(s.spent()) == spentBefore
                && leaseOf(s, victim).filter(l -> micros(l.granted()) > micros(l.spent())).isPresent());

        victim.kill();
        cluster.clock.advance(LeaseBook.LEASE_TTL.plusSeconds(1));

        // The others' next reports write the key; each write settles what expired.
        SpendKeyStatus settled = cluster.awaitStatus("shared", "the victim's lease expired, the others' alive", s ->
                s.leases().stream().allMatch(l -> l.expired() == l.holder().equals(victim.name)) && micros(s.unreconciled()) > 0);
        SpendKeyLease dead = settled.leases().stream().filter(l -> l.holder().equals(victim.name)).findFirst().orElseThrow();
        assertThat(dead.released()).as("the victim never released").isFalse();
        assertThat(micros(dead.spent())).as("what the victim reported").isEqualTo(victim.spentMicros(shared));
        long unspent = micros(dead.granted()) - micros(dead.spent());
        assertThat(micros(settled.unreconciled())).as("its unspent part").isEqualTo(unspent);
        assertThat(micros(settled.spent())).as("every usage line, and the dead lease counted whole")
                .isEqualTo(spentMicros(pods, shared) + unspent);
        assertThat(micros(settled.remaining())).isEqualTo(limit - micros(settled.spent()));
        assertThat(micros(settled.reserved())).as("only the live pods' leases").isEqualTo(settled.leases().stream()
                .filter(l -> !l.expired()).mapToLong(l -> micros(l.granted()) - micros(l.spent())).sum());
    }

    @Test
    void aNewDayClosesTheOldOneInHistoryWithItsLateReportsAndStartsAtZero() throws Exception {
        Instant day = Instant.parse("2030-01-15T00:00:00Z");
        Instant nextDay = day.plus(Duration.ofDays(1));
        startCluster(nextDay.minusSeconds(60));
        long limit = 100 * COST_MICROS;
        SpendKeyRef daily = cluster.spendKey("daily", budgetSpec(limit, "daily", "strict"));
        cluster.startOperator();
        List<SidecarPod> pods = cluster.startPods(PODS);
        for (SidecarPod pod : pods) {
            pod.serve(daily, 2);
        }
        long reported = spentMicros(pods, daily);
        cluster.awaitStatus("daily", "reported, each lease holding two more requests", s -> micros(s.spent()) == reported
                && pods.stream().allMatch(p -> leaseOf(s, p).filter(l -> micros(l.granted()) - micros(l.spent()) >= 2 * COST_MICROS)
                        .isPresent()));
        for (SidecarPod pod : pods) {
            Awaitility.await(pod.name + " knows its lease").atMost(LeaseCluster.PATIENCE).until(() ->
                    pod.metric("tollgate_lease_remaining_usd{spend_key=\"team-a/daily\",}") >= 2 * Money.toUsdDouble(COST_MICROS));
        }

        // The last seconds of the day, the operator away: the pods serve from their leases; the operator hears of it
        // only the next day.
        cluster.stopOperator();
        for (SidecarPod pod : pods) {
            pod.serve(daily, 2);
        }
        long closedDay = spentMicros(pods, daily);
        assertThat(cluster.clock.instant()).isBefore(nextDay);
        cluster.clock.set(nextDay.plusSeconds(5));
        cluster.startOperator();

        SpendKeyStatus rolled = cluster.awaitStatus("daily", "the closed day in history with its late reports", s ->
                Instant.parse(s.periodStart()).equals(nextDay) && historyOf(s, day)
                        .filter(h -> micros(h.spent()) == closedDay && micros(h.unreconciled()) == 0).isPresent());
        SpendKeyPeriod closed = historyOf(rolled, day).orElseThrow();
        assertThat(closed.requests()).isEqualTo(PODS * 4L);
        assertThat(rolled.history()).hasSize(1);
        assertThat(micros(rolled.spent())).as("the new day starts at zero").isZero();
        assertThat(rolled.requests()).isZero();
        assertThat(micros(rolled.remaining())).isEqualTo(limit);

        for (SidecarPod pod : pods) {
            pod.serve(daily, 1);
        }
        long today = spentMicros(pods, daily) - closedDay;
        SpendKeyStatus next = cluster.awaitStatus("daily", "today's " + today, s -> micros(s.spent()) == today);
        assertThat(next.requests()).isEqualTo(PODS);
        assertThat(micros(next.remaining())).isEqualTo(limit - today);
        assertThat(next.history()).containsExactly(closed);
        assertThat(next.state()).isEqualTo("Active");
    }

    private static Optional<SpendKeyPeriod> historyOf(SpendKeyStatus status, Instant periodStart) {
        return status.history().stream().filter(h -> Objects.equals(Instant.parse(h.periodStart()), periodStart)).findFirst();
    }
}
