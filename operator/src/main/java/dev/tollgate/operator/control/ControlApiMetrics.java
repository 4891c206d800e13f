package dev.tollgate.operator.control;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/** The control API's share of the operator's {@code /metrics}: snapshots made, answers given, polls held open. */
public final class ControlApiMetrics {
    private final Counter versions;
    private final Counter responses;
    private final Gauge waiting;

    public ControlApiMetrics(CollectorRegistry registry) {
        versions = Counter.build("tollgate_snapshot_versions_total", "New configuration versions built, per namespace.")
                .labelNames("namespace").register(registry);
        responses = Counter.build("tollgate_control_api_responses_total",
                        "Answers of GET /v1/snapshot by HTTP status (200 new version, 304 no change, 401 bad token, ...).")
                .labelNames("code").register(registry);
        waiting = Gauge.build("tollgate_control_api_waiting", "Long polls held open, waiting for a new version.")
                .register(registry);
    }

    void newVersion(String namespace) {
        versions.labels(namespace).inc();
    }

    void answered(int status) {
        responses.labels(Integer.toString(status)).inc();
    }

    void waitStarted() {
        waiting.inc();
    }

    void waitEnded() {
        waiting.dec();
    }
}
