package dev.tollgate.sidecar.provider;

/**
 * A failed attempt. {@code message} is safe to show the client (no key); {@code status} is the
 * upstream HTTP status, 0 when there was none (timeout, connection error).
 */
public record UpstreamFailure(FailureClass kind, int status, Long retryAfterMs, String message) {
}
