package dev.tollgate.operator.lease;

import static dev.tollgate.operator.lease.LeaseCluster.COST_MICROS;
import static dev.tollgate.operator.lease.LeaseCluster.budgetSpec;
import static dev.tollgate.operator.lease.LeaseCluster.micros;
import static dev.tollgate.operator.lease.LeaseCluster.spentMicros;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.control.TcpRelay;
import dev.tollgate.sidecar.metering.Money;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lease figures of docs/benchmark.md: four in-cluster sidecars and two operator replicas on the Fabric8 mock API
 * server, all in this JVM on this machine, at a steady load. Prints lease traffic per sidecar, API-server writes,
 * the latency leases add (against a key without budget on the same sidecars, same run) and the overspend when a
 * budget runs out under load. A benchmark, not a test: nothing is held to a time, and surefire leaves it out unless
 * asked ({@code -Dgroups=bench}, see docs/benchmark.md).
 */
@Tag("bench")
class LeaseBench extends WithLeaseCluster {
    private static final int PODS = 4;
    private static final int RATE = 25;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration STEADY = Duration.ofSeconds(20);
    private static final int EXHAUSTING_RATE = 50;
    private static final Duration EXHAUSTING = Duration.ofSeconds(6);

    private final StatusWriteLog writes = StatusWriteLog.attach();
    private final List<TcpRelay> relays = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        closeCluster(); // before the relays, so that the sidecars' last calls get through
        for (TcpRelay relay : relays) {
            relay.close();
        }
        writes.close();
    }

    @Test
    void leaseTrafficAddedLatencyAndOverspendAtSteadyLoad() throws Exception {
        startCluster(Instant.parse("2030-01-15T12:00:00Z"));
        SpendKeyRef metered = cluster.spendKey("metered", budgetSpec(100_000_000, "monthly", "strict"));
        SpendKeyRef free = cluster.spendKey("free", "{description: no budget}");
        long tightLimit = 200 * COST_MICROS;
        SpendKeyRef tight = cluster.spendKey("tight", budgetSpec(tightLimit, "monthly", "strict"));
        cluster.startOperator();
        for (int replica = 0; replica < 2; replica++) {
            relays.add(new TcpRelay(cluster.port(replica)));
        }
        List<SidecarPod> pods = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            pods.add(cluster.startPod(port -> relays.get(port == cluster.port(0) ? 0 : 1).port()));
        }

        SteadyLoad.run(pods, List.of(metered, free), RATE, WARM_UP);
        double[] callsBefore = leaseCalls(pods);
        long bytesBefore = relayBytes();
        long writesBefore = writes.written();
        long conflictsBefore = writes.conflicts();
        Map<String, SteadyLoad.Outcome> steady = SteadyLoad.run(pods, List.of(metered, free), RATE, STEADY);
        double[] callsAfter = leaseCalls(pods);
        long bytes = relayBytes() - bytesBefore;
        long written = writes.written() - writesBefore;
        long conflicts = writes.conflicts() - conflictsBefore;

        double seconds = STEADY.toMillis() / 1000.0;
        double calls = 0;
        double fewest = Double.MAX_VALUE;
        double most = 0;
        for (int i = 0; i < PODS; i++) {
            double perSecond = (callsAfter[i] - callsBefore[i]) / seconds;
            calls += callsAfter[i] - callsBefore[i];
            fewest = Math.min(fewest, perSecond);
            most = Math.max(most, perSecond);
        }
        long statusBytes = Serialization.asJson(cluster.status("metered")).getBytes(StandardCharsets.UTF_8).length;
        SteadyLoad.Outcome withLease = steady.get("metered");
        SteadyLoad.Outcome withoutBudget = steady.get("free");

        // A budget of 200 requests under 4 × 50 requests per second: what is spent when the refusals come.
        SteadyLoad.run(pods, List.of(tight), EXHAUSTING_RATE, EXHAUSTING);
        long tightSpent = spentMicros(pods, tight);
        cluster.awaitStatus("tight", "every usage line reported", s -> micros(s.spent()) == tightSpent);

        StringBuilder out = new StringBuilder("\nLease benchmark: " + PODS + " sidecars, 2 operator replicas, "
                + RATE + " req/s per sidecar on each of two keys, " + STEADY.toSeconds() + " s\n");
        out.append(String.format("  lease calls per sidecar per second: %.2f (fewest %.2f, most %.2f)%n", calls / PODS / seconds,
                fewest, most));
        out.append(String.format("  control-API bytes on the wire per lease call, both ways, TLS included: %.0f%n", bytes / calls));
        out.append(String.format("  SpendKey status writes per second (3 keys): %.1f, and %.1f refused with 409 (a replica wrote"
                + " since the read); a write sends the whole status, %d bytes for a key with %d leases%n", written / seconds,
                conflicts / seconds, statusBytes, cluster.status("metered").leases().size()));
        out.append(String.format("  latency, key with a budget (leases): p50 %d us, p99 %d us; served %d, refused %d%n",
                withLease.percentileMicros(0.5), withLease.percentileMicros(0.99), withLease.servedNanos().length, withLease.refused()));
        out.append(String.format("  latency, key without budget:        p50 %d us, p99 %d us; served %d, refused %d%n",
                withoutBudget.percentileMicros(0.5), withoutBudget.percentileMicros(0.99), withoutBudget.servedNanos().length,
                withoutBudget.refused()));
        out.append(String.format("  added by leases: p50 %+d us, p99 %+d us%n",
                withLease.percentileMicros(0.5) - withoutBudget.percentileMicros(0.5),
                withLease.percentileMicros(0.99) - withoutBudget.percentileMicros(0.99)));
        out.append(String.format("  budget run out under %d req/s: limit %s, spent %s, overspend %d micro-dollars, left unspent %d%n",
                PODS * EXHAUSTING_RATE, Money.formatUsd(tightLimit), Money.formatUsd(tightSpent), tightSpent - tightLimit,
                tightLimit - tightSpent));
        System.out.println(out);

        assertThat(withLease.servedNanos()).as("requests with leases were served").isNotEmpty();
        assertThat(withoutBudget.refused()).as("a key without budget refuses nothing").isZero();
        assertThat(tightSpent).as("overspend").isLessThanOrEqualTo(tightLimit);
    }

    /** Each sidecar's answered lease calls so far. */
    private static double[] leaseCalls(List<SidecarPod> pods) {
        return pods.stream().mapToDouble(p -> p.metric("tollgate_lease_calls_total{result=\"ok\",}")).toArray();
    }

    private long relayBytes() {
        return relays.stream().mapToLong(TcpRelay::bytes).sum();
    }
}
