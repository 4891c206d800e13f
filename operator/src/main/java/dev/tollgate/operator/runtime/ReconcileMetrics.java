package dev.tollgate.operator.runtime;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/** JOSDK's reconcile hooks as Prometheus metrics, by resource kind (the controller's name). */
final class ReconcileMetrics implements Metrics {
    private final Counter reconciles;
    private final Histogram duration;

    ReconcileMetrics(CollectorRegistry registry) {
        reconciles = Counter.build("tollgate_operator_reconciles_total",
                        "Reconciles by resource kind and result (success | error).")
                .labelNames("kind", "result").register(registry);
        duration = Histogram.build("tollgate_operator_reconcile_duration_seconds", "Time spent in one reconcile.")
                .labelNames("kind")
                .buckets(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5)
                .register(registry);
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        Histogram.Timer timer = duration.labels(execution.controllerName()).startTimer();
        try {
            T result = execution.execute();
            reconciles.labels(execution.controllerName(), "success").inc();
            return result;
        } catch (Exception | Error e) {
            reconciles.labels(execution.controllerName(), "error").inc();
            throw e;
        } finally {
            timer.observeDuration();
        }
    }
}
