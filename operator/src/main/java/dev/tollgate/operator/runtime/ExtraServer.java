package dev.tollgate.operator.runtime;

import dev.tollgate.operator.lease.LeaseWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.client.CollectorRegistry;

/**
 * A server every replica runs beside the reconcilers (the control API, the admission webhook):
 * started once the informers are up, closed before them.
 */
@FunctionalInterface
public interface ExtraServer {
    /**
     * @param metrics   the operator's registry, served on {@code /metrics} of the health port
     * @param spendKeys the replica's one writer of SpendKey status, shared with the reconciler, so a key's
     *                  writes are batched and spaced across both
     * @return what stops it again
     */
    AutoCloseable start(OperatorOptions options, KubernetesClient client, CollectorRegistry metrics, LeaseWriter spendKeys)
            throws Exception;
}
