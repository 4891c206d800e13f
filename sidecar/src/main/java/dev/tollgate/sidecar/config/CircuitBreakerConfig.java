package dev.tollgate.sidecar.config;

/** Opens a backend's circuit after this many consecutive failures, for the cooldown. */
public record CircuitBreakerConfig(int consecutiveFailures, long cooldownMs) {

    public CircuitBreakerConfig {
        consecutiveFailures = consecutiveFailures <= 0 ? 5 : consecutiveFailures;
        cooldownMs = cooldownMs <= 0 ? 30_000 : cooldownMs;
    }

    public static CircuitBreakerConfig defaults() {
        return new CircuitBreakerConfig(5, 30_000);
    }
}
