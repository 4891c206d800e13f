package dev.tollgate.operator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.config.SnapshotInputs;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Snapshot versions as sidecars see them when they move between operator replicas. */
class SnapshotStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoReplicasNeverGiveDifferentContentTheSameVersion() throws Exception {
        try (SnapshotStore replicaA = store(() -> "chat"); SnapshotStore replicaB = store(() -> "summarize")) {
            long versionA = current(replicaA, null);
            long versionB = current(replicaB, null);

            assertThat(versionB).isNotEqualTo(versionA);
            assertThat(current(replicaB, versionA)).as("a sidecar of A failing over to B gets B's content at once")
                    .isEqualTo(versionB);
        }
    }

    @Test
    void twoReplicasWithTheSameContentAgreeOnItsVersion() throws Exception {
        try (SnapshotStore replicaA = store(() -> "chat"); SnapshotStore replicaB = store(() -> "chat")) {
            assertThat(current(replicaB, null)).isEqualTo(current(replicaA, null));
        }
    }

    @Test
    void theVersionIsTheContentsSoTheSameContentAgainHasItsVersionAgain() throws Exception {
        AtomicReference<String> model = new AtomicReference<>("chat");
        try (SnapshotStore store = store(model::get)) {
            long first = current(store, null);
            model.set("summarize");
            store.changed("team-a");
            long second = current(store, first);
            model.set("chat");
            store.changed("team-a");
            long third = current(store, second);

            assertThat(second).isNotEqualTo(first);
            assertThat(third).as("the first content again: its version again").isEqualTo(first);
        }
    }

    /** A store whose only namespace, team-a, has one route for the model {@code model} names. */
    private static SnapshotStore store(Supplier<String> model) {
        ProviderSecret mock = Serialization.unmarshal("""
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: mock, namespace: team-a}
                spec: {provider: mock}
                """, ProviderSecret.class);
        return new SnapshotStore((namespace, version) -> new SnapshotInputs(namespace, Map.of(), List.of(mock),
                List.of(Serialization.unmarshal("""
                        apiVersion: tollgate.dev/v1alpha1
                        kind: AIRoute
                        metadata: {name: chat, namespace: team-a}
                        spec: {models: [%s], backends: [{providerRef: {name: mock}}]}
                        """.formatted(model.get()), AIRoute.class)),
                List.of(), List.of(), List.of(), version),
                Duration.ofMillis(10), new ControlApiMetrics(new CollectorRegistry()));
    }

    /** The version a sidecar that has {@code known} gets next (as the control API would answer it). */
    private static long current(SnapshotStore store, Long known) throws Exception {
        CompletableFuture<SnapshotStore.Published> next = new CompletableFuture<>();
        store.await("team-a", known, next::complete);
        SnapshotStore.Published published = next.get(5, TimeUnit.SECONDS);
        assertThat(JSON.readTree(published.body()).path("version").asLong()).isEqualTo(published.version());
        return published.version();
    }
}
