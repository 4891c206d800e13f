package dev.tollgate.sidecar.provider;

/** Sends a built request somewhere (over HTTP, or to the in-process mock) without waiting for it. */
public interface UpstreamTransport {
    /**
     * Starts one exchange; the answer arrives through {@code handler}, one call at a time, on the
     * transport's own thread. The handler must not block: every stream of the sidecar shares that thread.
     */
    UpstreamCall send(UpstreamRequest request, UpstreamHandler handler);
}
