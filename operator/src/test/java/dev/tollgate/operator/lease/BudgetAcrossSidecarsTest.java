package dev.tollgate.operator.lease;

import static dev.tollgate.operator.lease.LeaseCluster.COST_MICROS;
import static dev.tollgate.operator.lease.LeaseCluster.budgetSpec;
import static dev.tollgate.operator.lease.LeaseCluster.leaseOf;
import static dev.tollgate.operator.lease.LeaseCluster.micros;
import static dev.tollgate.operator.lease.LeaseCluster.spentMicros;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.api.SpendKeyLease;
import dev.tollgate.operator.api.SpendKeyStatus;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Four real sidecars spend shared spend keys leased by two operator replicas over the Fabric8 mock API server:
 * what the applications are served, the usage lines and the SpendKey status agree to the micro-dollar, and the
 * limit holds, with the operator there and while it is away.
 */
class BudgetAcrossSidecarsTest extends WithLeaseCluster {
    private static final int PODS = 4;


    @BeforeEach
    void start() {
        startCluster(Instant.parse("2030-01-15T12:00:00Z"));
    }

    @Test
    void twoHundredConcurrentRequestsSpendABudgetOfFiftyToTheMicroDollarAndNoFurther() throws Exception {
        long limit = 50 * COST_MICROS;
        SpendKeyRef shared = cluster.spendKey("shared", budgetSpec(limit, "monthly", "strict"));
        cluster.startOperator();
        List<SidecarPod> pods = cluster.startPods(PODS);

        // 200 at once, 50 on each sidecar; sidecars 0 and 2 lease from replica 0, 1 and 3 from replica 1.
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(pods.get(i % PODS).chatAsync(shared));
        }
        List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();
        List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() != 200).toList();
        refused.forEach(SidecarPod::assertBudgetExceeded);
        long served = answers.size() - refused.size();
        assertThat(served).as("served at once").isPositive().isLessThanOrEqualTo(50);
        assertThat(refused).as("refused").hasSizeGreaterThanOrEqualTo(150);
        List<SidecarPod.UsageLine> lines = pods.stream().flatMap(p -> p.served(shared).stream()).toList();
        assertThat(lines).as("a usage line per request served").hasSize((int) served)
                .allSatisfy(line -> assertThat(line.costMicros()).isEqualTo(COST_MICROS));
        assertThat(spentMicros(pods, shared)).isLessThanOrEqualTo(limit);

        // What leases still hold is spent by asking every sidecar until none serves: usable to the last micro-dollar.
        drain(pods, shared);
        long spent = spentMicros(pods, shared);
        assertThat(spent).as("the whole budget, and not a micro-dollar more").isEqualTo(limit);
        SpendKeyStatus exhausted = cluster.awaitStatus("shared", "spent " + spent + " and BudgetExhausted",
                s -> micros(s.spent()) == spent && "BudgetExhausted".equals(s.state()));
        assertThat(micros(exhausted.remaining())).isZero();
        assertThat(exhausted.requests()).isEqualTo(spent / COST_MICROS);
        // Both replicas wrote the one key's status, each for its own sidecars, and both answered their calls. Which
        // granted is a race: a burst's lease asks for its waiting requests' worst cases, so the sidecars of the
        // replica asked first may take the whole budget, and the other replica's calls are then denied.
        for (SidecarPod pod : pods) {
            assertThat(leaseOf(exhausted, pod)).as(pod.name + "'s lease, written by replica " + pod.replica).isPresent();
        }
        double grantedByBoth = 0;
        for (int replica = 0; replica < 2; replica++) {
            double granted = leaseAnswers(replica, "tollgate_leases_granted_total");
            assertThat(granted + leaseAnswers(replica, "tollgate_leases_denied_total"))
                    .as("lease calls answered by replica " + replica).isPositive();
            grantedByBoth += granted;
        }
        assertThat(grantedByBoth).as("grants").isPositive();

        // The sidecars stop and release what they hold: nothing stays reserved, nothing is added.
        pods.forEach(SidecarPod::close);
        SpendKeyStatus released = cluster.awaitStatus("shared", "every lease released",
                s -> s.leases().stream().allMatch(SpendKeyLease::released) && micros(s.reserved()) == 0);
        assertThat(micros(released.spent())).isEqualTo(spent);
        assertThat(micros(released.unreconciled())).isZero();
        assertThat(released.leases()).hasSize(PODS);
    }

    @Test
    void withTheOperatorAwayStrictServesOnlyWhatItsLeasesHoldLenientKeepsServingAndNothingIsCountedTwice() throws Exception {
        SpendKeyRef strict = cluster.spendKey("strict", budgetSpec(1000 * COST_MICROS, "monthly", "strict"));
        SpendKeyRef lenient = cluster.spendKey("lenient", budgetSpec(1000 * COST_MICROS, "monthly", "lenient"));
        cluster.startOperator();
        List<SidecarPod> pods = cluster.startPods(PODS);
        for (SidecarPod pod : pods) {
            pod.serve(strict, 3);
            pod.serve(lenient, 3);
        }
        for (SpendKeyRef key : List.of(strict, lenient)) {
            long spent = spentMicros(pods, key);
            cluster.awaitStatus(key.name(), "reported, and every lease holding more", s -> micros(s.spent()) == spent
                    && pods.stream().allMatch(p -> leaseOf(s, p).filter(l -> micros(l.granted()) > micros(l.spent())).isPresent()));
        }

        cluster.stopOperator();
        long strictHeld = granted(cluster.status("strict"));
        long lenientHeld = granted(cluster.status("lenient"));
        for (SidecarPod pod : pods) {
            assertThat(pod.serveUntilRefused(strict, 100)).as(pod.name + ", strict, operator away").isLessThan(100);
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> served = pod.chat(lenient);
                assertThat(served.statusCode()).as(pod.name + ", lenient, operator away: " + served.body()).isEqualTo(200);
            }
        }
        for (SidecarPod pod : pods) {
            assertThat(pod.metric("tollgate_lease_calls_total{result=\"failed\",}")).as(pod.name + " found the operator gone")
                    .isPositive();
        }
        assertThat(spentMicros(pods, strict)).as("strict: no more than its leases held").isLessThanOrEqualTo(strictHeld);
        assertThat(spentMicros(pods, lenient)).as("lenient: past what its leases held").isGreaterThan(lenientHeld);

        cluster.startOperator();
        for (SpendKeyRef key : List.of(strict, lenient)) {
            List<SidecarPod.UsageLine> lines = pods.stream().flatMap(p -> p.served(key).stream()).toList();
            long spent = lines.stream().mapToLong(SidecarPod.UsageLine::costMicros).sum();
            SpendKeyStatus reported = cluster.awaitStatus(key.name(), "the usage lines' " + spent,
                    s -> micros(s.spent()) == spent && s.requests() == lines.size());
            assertThat(micros(reported.unreconciled())).isZero();
        }
        pods.forEach(SidecarPod::close);
        for (SpendKeyRef key : List.of(strict, lenient)) {
            long spent = spentMicros(pods, key);
            cluster.awaitStatus(key.name(), "released, spent still " + spent,
                    s -> micros(s.reserved()) == 0 && micros(s.spent()) == spent);
        }
    }

    /** Budget the open leases of a key had been granted. */
    private static long granted(SpendKeyStatus status) {
        return status.leases().stream().filter(l -> !l.released()).mapToLong(l -> micros(l.granted())).sum();
    }

    /**
     * Asks every sidecar, one request at a time, until none serves any more three passes in a row (a refusal
     * waits up to 1 s for a bigger lease; a pass gives the others' reports time to return budget).
     */
    private static void drain(List<SidecarPod> pods, SpendKeyRef key) {
        int quietPasses = 0;
        for (int pass = 0; pass < 40 && quietPasses < 3; pass++) {
            boolean servedAny = false;
            for (SidecarPod pod : pods) {
                servedAny |= pod.serveUntilRefused(key, 60) > 0;
            }
            quietPasses = servedAny ? 0 : quietPasses + 1;
        }
        assertThat(quietPasses).as("the sidecars stopped serving").isEqualTo(3);
    }

    /** The replica's count of lease answers of one kind for the shared key; none counted yet is 0. */
    private double leaseAnswers(int replica, String counter) {
        Double value = cluster.replica(replica).metrics().getSampleValue(counter,
                new String[] {"namespace", "spend_key"}, new String[] {"team-a", "shared"});
        return value == null ? 0 : value;
    }
}
