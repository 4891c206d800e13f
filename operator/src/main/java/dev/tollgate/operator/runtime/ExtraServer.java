package dev.tollgate.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.client.CollectorRegistry;

/**
 * A server every replica runs beside the reconcilers (the control API, the admission webhook):
 * started once the informers are up, closed before them.
 */
@FunctionalInterface
public interface ExtraServer {
    /**
     * @param metrics the operator's registry, served on {@code /metrics} of the health port
     * @return what stops it again
     */
    AutoCloseable start(OperatorOptions options, KubernetesClient client, CollectorRegistry metrics) throws Exception;
}
