package dev.tollgate.operator.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.operator.api.BudgetSpec;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeySpec;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import dev.tollgate.sidecar.metering.Money;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compare-and-swap writes against the Fabric8 mock API server in CRUD mode, which keeps resourceVersions as etcd does. */
@EnableKubernetesMockClient(crud = true)
class LeaseWriterTest {
    private static final String NS = "team-a";

    KubernetesMockServer server;
    KubernetesClient client;

    private LeaseWriter replicaA;
    private LeaseWriter replicaB;

    @BeforeEach
    void start() {
        replicaA = new LeaseWriter(client, Clock.systemUTC());
        replicaB = new LeaseWriter(client, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        replicaA.close();
        replicaB.close();
    }

    @Test
    void aStatusWriteFromAStaleReadIsRefusedWith409() {
        createKey("bot", "100.00");
        SpendKey stale = client.resources(SpendKey.class).inNamespace(NS).withName("bot").get();
        SpendKey fresh = client.resources(SpendKey.class).inNamespace(NS).withName("bot").get();
        fresh.setStatus(LeaseBook.apply(null, fresh.getSpec(), false, Instant.now(), List.of()).status());
        SpendKey written = LeaseWriter.compareAndSwap(client, fresh);
        assertThat(written.getStatus().periodStart()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(written.getMetadata().getResourceVersion()).isNotEqualTo(stale.getMetadata().getResourceVersion());

        stale.setStatus(SpendKeyStatus.empty());
        assertThatThrownBy(() -> LeaseWriter.compareAndSwap(client, stale))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(client.resources(SpendKey.class).inNamespace(NS).withName("bot").get().getStatus()).isEqualTo(written.getStatus());
    }

    @Test
    void twoReplicasWritingOneKeyAtOnceEndExactlyRight() throws Exception {
        createKey("bot", "100.00");
        int pods = 8;
        int rounds = 12;
        List<CompletableFuture<LeaseWriter.Leased>> calls = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int pod = 0; pod < pods; pod++) {
                // Each pod spends 0.01 more per round, wants 0.50 held, and alternates between the replicas.
                LeaseWriter replica = (pod + round) % 2 == 0 ? replicaA : replicaB;
                calls.add(replica.lease(NS, "pod-" + pod, List.of(new LeaseReport("bot", "lease-" + pod, null, round,
                        10_000L * (round - 1), round - 1, 100L * (round - 1), 10L * (round - 1), null, 500_000, 0, 0, false))));
            }
            if (round % 3 == 0) {
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        for (CompletableFuture<LeaseWriter.Leased> call : calls) {
            assertThat(call.join().grants()).singleElement().satisfies(g -> assertThat(g.error()).isNull());
        }

        SpendKeyStatus status = client.resources(SpendKey.class).inNamespace(NS).withName("bot").get().getStatus();
        assertThat(status.spent()).as("8 pods × 0.11").isEqualTo("0.88");
        assertThat(status.requests()).isEqualTo(8 * 11L);
        assertThat(status.inputTokens()).isEqualTo(8 * 1100L);
        assertThat(status.leases()).hasSize(pods).allSatisfy(l -> {
            assertThat(l.sequence()).isEqualTo(rounds);
            assertThat(Money.parseUsd(l.granted()) - Money.parseUsd(l.spent())).isEqualTo(500_000);
        });
        assertThat(status.reserved()).isEqualTo("4.00");
    }

    @Test
    void callsThatArriveWhileAWriteIsInFlightGoInTheNextWrite() throws Exception {
        createKey("bot", "100.00");
        int before = server.getRequestCount();
        List<CompletableFuture<LeaseWriter.Leased>> calls = new ArrayList<>();
        for (int pod = 0; pod < 40; pod++) {
            calls.add(replicaA.lease(NS, "pod-" + pod, List.of(new LeaseReport("bot", "lease-" + pod, null, 1, 25_000, 1, 0, 0, null,
                    100_000, 0, 0, false))));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        int requests = server.getRequestCount() - before;
        assertThat(requests).as("a read and a write per batch, far fewer than 40 of each").isLessThan(40);
        SpendKeyStatus status = client.resources(SpendKey.class).inNamespace(NS).withName("bot").get().getStatus();
        assertThat(status.spent()).isEqualTo("1.00");
        assertThat(status.leases()).hasSize(40);
    }

    @Test
    void oneCallAnswersEveryKeyInItsOrderAndAnUnknownKeyWithAnError() throws Exception {
        createKey("bot", "1.00");
        createKey("batch", "2.00");
        LeaseWriter.Leased leased = replicaA.lease(NS, "pod-1", List.of(
                new LeaseReport("batch", "l-1", null, 1, 0, 0, 0, 0, null, 5_000_000, 0, 0, false),
                new LeaseReport("nope", "l-2", null, 1, 0, 0, 0, 0, null, 1, 0, 0, false),
                new LeaseReport("bot", "l-3", null, 1, 0, 0, 0, 0, null, 400_000, 0, 0, false))).get(10, TimeUnit.SECONDS);

        assertThat(leased.grants()).extracting(LeaseGrant::key).containsExactly("batch", "nope", "bot");
        assertThat(leased.grants().get(0).grantedMicros()).isEqualTo(2_000_000);
        assertThat(leased.grants().get(1).error()).isEqualTo("no SpendKey 'nope' in namespace team-a");
        assertThat(leased.grants().get(1).grantedMicros()).isZero();
        assertThat(leased.grants().get(2).grantedMicros()).isEqualTo(400_000);
        assertThat(leased.tallies()).extracting(LeaseWriter.Tally::key).containsExactly("batch", "nope", "bot");
        assertThat(leased.tallies()).extracting(LeaseWriter.Tally::granted).containsExactly(1, 0, 1);
    }

    @Test
    void closingFailsWhatWaitsSoNoCallerWaitsForever() throws Exception {
        createKey("bot", "1.00");
        replicaA.update(NS, "bot", (key, now) -> key.getStatus()).get(10, TimeUnit.SECONDS);
        // Within the write gap of the last one: waits for the writer's next turn.
        CompletableFuture<SpendKey> waiting = replicaA.update(NS, "bot", (key, now) -> key.getStatus());
        replicaA.close();

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("closed");
        assertThat(replicaA.update(NS, "bot", (key, now) -> key.getStatus())).failsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aChangeThatThrowsAnErrorFailsItsCallerAndTheKeyIsWrittenOn() throws Exception {
        createKey("bot", "1.00");
        CompletableFuture<SpendKey> broken = replicaA.update(NS, "bot", (key, now) -> {
            throw new StackOverflowError();
        });
        assertThatThrownBy(() -> broken.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StackOverflowError.class);

        LeaseWriter.Leased leased = replicaA.lease(NS, "pod-1", List.of(new LeaseReport("bot", "l-1", null, 1, 0, 0, 0, 0, null,
                400_000, 0, 0, false))).get(5, TimeUnit.SECONDS);
        assertThat(leased.grants().get(0).grantedMicros()).isEqualTo(400_000);
    }

    private void createKey(String name, String limit) {
        SpendKey key = new SpendKey();
        key.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        key.setSpec(new SpendKeySpec(null, new BudgetSpec(limit, "total"), List.of(), null, null, false, null));
        client.resource(key).create();
    }
}
