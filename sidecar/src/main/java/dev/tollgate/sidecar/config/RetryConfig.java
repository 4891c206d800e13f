package dev.tollgate.sidecar.config;

import java.util.Set;

/**
 * @param attempts  tries of one backend (1 = no retry of the same one); every backend of the route
 *                  is tried whatever this number, tier after tier (see {@code routing.AttemptPlan})
 * @param on        failure classes that may be retried: rate-limited, server-error, timeout, connect-error
 * @param backoffMs base delay before retrying the same backend; doubles each time
 */
public record RetryConfig(int attempts, Set<String> on, long backoffMs) {

    public static final Set<String> ALL_CLASSES = Set.of("rate-limited", "server-error", "timeout", "connect-error");

    public RetryConfig {
        attempts = attempts <= 0 ? 3 : attempts;
        on = on == null || on.isEmpty() ? ALL_CLASSES : Set.copyOf(on);
        backoffMs = backoffMs < 0 ? 0 : backoffMs;
    }

    public static RetryConfig defaults() {
        return new RetryConfig(3, ALL_CLASSES, 100);
    }
}
