package dev.tollgate.sidecar;

/**
 * How long a client may take to send its request: a slow or stalled client is dropped, so it
 * holds no connection, memory or request slot for longer than this.
 *
 * @param headersMs        from a request's first byte to the end of its headers
 * @param bodyMs           from the end of the headers to the end of the body
 * @param idleConnectionMs a kept-alive connection with no request in it (also one that never sends a byte)
 */
public record ClientTimeouts(int headersMs, int bodyMs, int idleConnectionMs) {
    /** Generous for a client in the same pod, short enough that stalled ones do not pile up. */
    public static final ClientTimeouts DEFAULTS = new ClientTimeouts(10_000, 30_000, 60_000);

    public ClientTimeouts {
        if (headersMs <= 0 || bodyMs <= 0 || idleConnectionMs <= 0) {
            throw new IllegalArgumentException("client timeouts must be positive: " + headersMs + ", " + bodyMs
                    + ", " + idleConnectionMs + " ms");
        }
    }
}
