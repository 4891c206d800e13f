package dev.tollgate.operator.lease;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;

/** Lease answers per key: granted (more budget or rate allowance) and denied (wanted more, got none). */
public final class LeaseMetrics {
    private final Counter granted;
    private final Counter denied;

    public LeaseMetrics(CollectorRegistry registry) {
        granted = Counter.build("tollgate_leases_granted_total", "Lease reports answered with more budget or rate allowance.")
                .labelNames("namespace", "spend_key").register(registry);
        denied = Counter.build("tollgate_leases_denied_total",
                        "Lease reports that wanted more budget or rate allowance and got none, or were refused.")
                .labelNames("namespace", "spend_key").register(registry);
    }

    public void count(String namespace, LeaseWriter.Leased leased) {
        for (LeaseWriter.Tally tally : leased.tallies()) {
            if (tally.granted() > 0) {
                granted.labels(namespace, tally.key()).inc(tally.granted());
            }
            if (tally.denied() > 0) {
                denied.labels(namespace, tally.key()).inc(tally.denied());
            }
        }
    }
}
