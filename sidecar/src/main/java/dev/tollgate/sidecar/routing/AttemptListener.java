package dev.tollgate.sidecar.routing;

/** Observes attempts as they happen (metrics). */
public interface AttemptListener {
    void attempted(Attempt attempt, String result);

    void failedOver(Attempt from);
}
