package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.config.CircuitBreakerConfig;

/**
 * Per backend (provider and upstream model): opens after N consecutive failures, and after the
 * cooldown lets exactly one probe through (half-open); its outcome closes or re-opens the circuit.
 */
public final class CircuitBreaker {
    private int consecutiveFailures;
    private long openUntilMs;
    private boolean probing;

    /** Whether a request may be sent now; in half-open state only the first caller gets true. */
    public synchronized boolean tryAcquire(long nowMs) {
        if (openUntilMs == 0) {
            return true;
        }
        if (nowMs < openUntilMs || probing) {
            return false;
        }
        probing = true;
        return true;
    }

    /** Whether a request could be sent now, without taking the half-open probe. */
    public synchronized boolean isAvailable(long nowMs) {
        return openUntilMs == 0 || (nowMs >= openUntilMs && !probing);
    }

    /** Gives back a half-open probe that was never sent (the backend was skipped or the request failed to build). */
    public synchronized void release() {
        probing = false;
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        openUntilMs = 0;
        probing = false;
    }

    public synchronized void onFailure(CircuitBreakerConfig config, long nowMs) {
        consecutiveFailures++;
        if (probing || consecutiveFailures >= config.consecutiveFailures()) {
            openUntilMs = nowMs + config.cooldownMs();
        }
        probing = false;
    }

    /** Closed with no failure counted: exactly what a new breaker would be, so it holds nothing worth keeping. */
    public synchronized boolean isPristine() {
        return consecutiveFailures == 0 && openUntilMs == 0 && !probing;
    }

    /** Open means requests are being refused right now (half-open counts as open until the probe succeeds). */
    public synchronized boolean isOpen(long nowMs) {
        return openUntilMs != 0 && (nowMs < openUntilMs || probing);
    }
}
