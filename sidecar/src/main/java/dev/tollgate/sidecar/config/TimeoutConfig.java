package dev.tollgate.sidecar.config;

/**
 * @param requestMs    the whole request, all attempts included
 * @param firstTokenMs a stream's first event; past it, fail over (nothing reached the client yet)
 * @param attemptMs    one attempt of a complete (non-streamed) answer; past it, fail over like any
 *                     retryable failure, so a hung provider does not take the whole request's time
 * @param idleMs       between a stream's events once it started; past it, the stream ends with a timeout error
 */
public record TimeoutConfig(long requestMs, long firstTokenMs, long attemptMs, long idleMs) {
    public static final long DEFAULT_REQUEST_MS = 600_000;
    public static final long DEFAULT_FIRST_TOKEN_MS = 30_000;
    /** Long enough for a reasoning model's complete answer; half the request's, so a fallback has time. */
    public static final long DEFAULT_ATTEMPT_MS = 300_000;
    /** Providers send keep-alive events while a model thinks; two minutes of nothing is a hung stream. */
    public static final long DEFAULT_IDLE_MS = 120_000;

    public TimeoutConfig {
        requestMs = requestMs <= 0 ? DEFAULT_REQUEST_MS : requestMs;
        firstTokenMs = firstTokenMs <= 0 ? DEFAULT_FIRST_TOKEN_MS : firstTokenMs;
        attemptMs = attemptMs <= 0 ? DEFAULT_ATTEMPT_MS : attemptMs;
        idleMs = idleMs <= 0 ? DEFAULT_IDLE_MS : idleMs;
    }

    /** With the default attempt and idle timeouts. */
    public TimeoutConfig(long requestMs, long firstTokenMs) {
        this(requestMs, firstTokenMs, 0, 0);
    }

    public static TimeoutConfig defaults() {
        return new TimeoutConfig(0, 0, 0, 0);
    }
}
