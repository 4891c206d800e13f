package dev.tollgate.sidecar.config;

/**
 * @param requestMs    the whole request, all attempts included
 * @param firstTokenMs until the first byte of the answer; past it, fail over (nothing reached the client yet)
 */
public record TimeoutConfig(long requestMs, long firstTokenMs) {

    public TimeoutConfig {
        requestMs = requestMs <= 0 ? 600_000 : requestMs;
        firstTokenMs = firstTokenMs <= 0 ? 30_000 : firstTokenMs;
    }

    public static TimeoutConfig defaults() {
        return new TimeoutConfig(600_000, 30_000);
    }
}
