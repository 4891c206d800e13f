package dev.tollgate.sidecar.provider;

/** Sends a built request somewhere (over HTTP, or to the in-process mock) without waiting for it. */
public interface UpstreamTransport {
    /**
     * Starts one exchange; the answer arrives through {@code handler}, one call at a time, on one of the
     * transport's threads. The handler must not block: the sidecar's streams share those threads.
     */
    UpstreamCall send(UpstreamRequest request, UpstreamHandler handler);
}
