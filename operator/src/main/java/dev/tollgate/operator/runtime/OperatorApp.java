package dev.tollgate.operator.runtime;

import dev.tollgate.operator.lease.LeaseWriter;
import dev.tollgate.operator.reconcile.AIRouteReconciler;
import dev.tollgate.operator.reconcile.EventRecorder;
import dev.tollgate.operator.reconcile.ProviderSecretReconciler;
import dev.tollgate.operator.reconcile.SpendKeyReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tollgate operator} process: the three reconcilers under leader election (Lease
 * {@code tollgate-operator}), the health and metrics port, and the {@link ExtraServer}s every
 * replica serves. Informers start on every replica, so a standby is ready to take over at once.
 * Ready only while informers are synced and every extra server listens; on close, not ready for
 * the drain time before anything stops, so the Service stops sending traffic before the ports close.
 */
public final class OperatorApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorApp.class);

    private final Operator operator;
    private final CollectorRegistry metrics = new CollectorRegistry(true);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean lostLease = new AtomicBoolean();
    private final AtomicBoolean serversStarted = new AtomicBoolean();
    private final Duration shutdownDrain;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final HealthServer health;

    private OperatorApp(OperatorOptions options, KubernetesClient client, List<ExtraServer> extras, Clock clock) throws Exception {
        shutdownDrain = options.shutdownDrain();
        EventRecorder events = new EventRecorder(client, options.identity(), clock);
        ReconcileMetrics reconcileMetrics = new ReconcileMetrics(metrics); // JOSDK may apply the overrides more than once
        operator = new Operator(o -> configure(o, options, client, reconcileMetrics));
        operator.register(new ProviderSecretReconciler(events, clock), c -> c.withName(ProviderSecretReconciler.NAME));
        operator.register(new AIRouteReconciler(events, clock), c -> c.withName(AIRouteReconciler.NAME));
        // Not generation-aware: spend reported into status (not spec) can exhaust the budget.
        LeaseWriter spendKeyWriter = new LeaseWriter(client, clock);
        operator.register(new SpendKeyReconciler(events, spendKeyWriter, clock),
                c -> c.withName(SpendKeyReconciler.NAME).withGenerationAware(false));

        running.push(spendKeyWriter);
        health = HealthServer.start(options.bindAddress(), options.healthPort(), this::unhealthy, this::notReady, metrics);
        running.push(health);
        try {
            operator.start();
            running.push(operator::stop);
            for (ExtraServer extra : extras) {
                running.push(extra.start(options, client, metrics, spendKeyWriter));
            }
            serversStarted.set(true);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Starts everything; returns once the informer caches are synced. */
    public static OperatorApp start(OperatorOptions options, KubernetesClient client, List<ExtraServer> extras)
            throws Exception {
        return start(options, client, extras, Clock.systemUTC());
    }

    /** As {@link #start(OperatorOptions, KubernetesClient, List)}, budget periods and leases on {@code clock} (tests). */
    public static OperatorApp start(OperatorOptions options, KubernetesClient client, List<ExtraServer> extras, Clock clock)
            throws Exception {
        return new OperatorApp(options, client, extras, clock);
    }

    public int healthPort() {
        return health.port();
    }

    public CollectorRegistry metrics() {
        return metrics;
    }

    /**
     * Fails {@code /readyz}, waits the drain time (if it was ever ready), then stops the extra servers,
     * the reconcilers and informers, and the health port. The client stays open.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (serversStarted.get() && !shutdownDrain.isZero()) {
            LOG.info("not ready; draining for {} ms before closing the ports", shutdownDrain.toMillis());
            try {
                Thread.sleep(shutdownDrain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                LOG.warn("error while stopping: {}", e.toString());
            }
        }
    }

    private void configure(ConfigurationServiceOverrider o, OperatorOptions options, KubernetesClient client,
            ReconcileMetrics reconcileMetrics) {
        o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withMetrics(reconcileMetrics)
                // Status patches are JSON patches of what changed: no server-side apply (the same on
                // every API server, and on the Fabric8 mock the tests run against).
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .checkingCRDAndValidateLocalModel(false);
        if (options.leaderElection()) {
            o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                    .aLeaderElectionConfiguration(OperatorOptions.LEASE_NAME)
                    .withLeaseNamespace(options.namespace())
                    .withIdentity(options.identity())
                    // Not System.exit (it would hang a shutdown hook): /healthz fails and the kubelet restarts us.
                    .withExitOnStopLeading(false)
                    .withLeaderCallbacks(new LeaderCallbacks(
                            () -> LOG.info("{} leads: reconcilers run", options.identity()),
                            this::leaseLost,
                            leader -> LOG.info("leader is {}", leader)))
                    .build());
        }
    }

    private void leaseLost() {
        if (!closing.get()) {
            LOG.error("lost the {} Lease; /healthz fails so this replica is restarted", OperatorOptions.LEASE_NAME);
            lostLease.set(true);
        }
    }

    private String unhealthy() {
        return lostLease.get() ? "lost the " + OperatorOptions.LEASE_NAME + " Lease; restart needed" : null;
    }

    private String notReady() {
        if (closing.get()) {
            return "shutting down";
        }
        RuntimeInfo info = operator.getRuntimeInfo();
        if (!info.isStarted()) {
            return "starting: informer caches not synced yet";
        }
        if (!info.allEventSourcesAreHealthy()) {
            return "informers not healthy: " + String.join(", ", info.unhealthyEventSources().keySet());
        }
        if (!serversStarted.get()) {
            return "starting: control API and webhook not listening yet";
        }
        return null;
    }
}
