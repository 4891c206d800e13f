package dev.tollgate.sidecar.routing;

import java.util.Map;

/** Observes attempts as they happen (metrics, traces). */
public interface AttemptListener {
    /** An attempt is about to be sent; returns headers to add to its request (the trace context). */
    default Map<String, String> starting(Attempt attempt) {
        return Map.of();
    }

    void attempted(Attempt attempt, String result);

    void failedOver(Attempt from);
}
