package dev.tollgate.operator.control;

import dev.tollgate.operator.lease.LeaseMetrics;
import dev.tollgate.operator.lease.LeaseWriter;
import dev.tollgate.operator.lease.SpendKeyGauges;
import dev.tollgate.sidecar.config.ModelPrice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Configuration delivery and budget leases as one piece for the {@code tollgate operator} process:
 * informer caches, per-namespace snapshots, the lease writer and the HTTPS control API, started in
 * that order (no sidecar is answered before the caches hold the whole cluster) and closed in reverse.
 * Also serves the per-SpendKey gauges from its cache.
 */
public final class ControlPlane implements AutoCloseable {
    /** Events are gathered this long before a rebuild: one build per burst, well under a second end to end. */
    static final Duration DEBOUNCE = Duration.ofMillis(50);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final ClusterCache cache;
    private final SnapshotStore snapshots;
    private final LeaseWriter leases;
    /** The writer when this control plane made its own (tests), closed with it; null when the caller's. */
    private final LeaseWriter ownWriter;
    private final ControlApiServer server;

    private ControlPlane(KubernetesClient client, ControlApiSettings settings, SSLContext tls, List<ModelPrice> platformPrices,
            CollectorRegistry registry, LeaseWriter spendKeys, Clock clock) {
        List<ModelPrice> prices = List.copyOf(platformPrices);
        ControlApiMetrics metrics = new ControlApiMetrics(registry);
        cache = new ClusterCache(client);
        snapshots = new SnapshotStore((namespace, version) -> cache.inputs(namespace, prices, version), DEBOUNCE, metrics);
        ownWriter = spendKeys == null ? new LeaseWriter(client, clock) : null;
        leases = spendKeys == null ? ownWriter : spendKeys;
        try {
            cache.start(snapshots::changed, SYNC_TIMEOUT);
            SpendKeyGauges.register(cache::spendKeys, registry);
            server = ControlApiServer.start(settings, tls, new TokenReviewAuthenticator(client), snapshots, metrics, leases,
                    new LeaseMetrics(registry));
        } catch (RuntimeException e) {
            closeOwnWriter();
            snapshots.close();
            cache.close();
            throw e;
        }
    }

    /**
     * Lists the cluster (blocking until the caches are synced) and starts serving.
     *
     * @param tls            e.g. {@code OperatorCertificates.sslContext()}
     * @param platformPrices the platform's price catalog overrides, in every snapshot
     * @param metrics        the operator's registry (served on its {@code /metrics})
     */
    public static ControlPlane start(KubernetesClient client, ControlApiSettings settings, SSLContext tls,
            List<ModelPrice> platformPrices, CollectorRegistry metrics) {
        return start(client, settings, tls, platformPrices, metrics, Clock.systemUTC());
    }

    /** As {@link #start(KubernetesClient, ControlApiSettings, SSLContext, List, CollectorRegistry)}, leases on {@code clock} (tests). */
    public static ControlPlane start(KubernetesClient client, ControlApiSettings settings, SSLContext tls,
            List<ModelPrice> platformPrices, CollectorRegistry metrics, Clock clock) {
        return new ControlPlane(client, settings, tls, platformPrices, metrics, null, clock);
    }

    /** As {@link #start(KubernetesClient, ControlApiSettings, SSLContext, List, CollectorRegistry)}, writing SpendKey status through the replica's writer. */
    public static ControlPlane start(KubernetesClient client, ControlApiSettings settings, SSLContext tls,
            List<ModelPrice> platformPrices, CollectorRegistry metrics, LeaseWriter spendKeys, Clock clock) {
        return new ControlPlane(client, settings, tls, platformPrices, metrics, spendKeys, clock);
    }

    private void closeOwnWriter() {
        if (ownWriter != null) {
            ownWriter.close();
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        closeOwnWriter();
        snapshots.close();
        cache.close();
    }
}
