package dev.tollgate.sidecar.provider;

/** Sends a built request somewhere: over HTTP, or to the in-process mock. */
public interface UpstreamTransport {
    /** Prepares one exchange; nothing is sent until {@link UpstreamExchange#send()}. */
    UpstreamExchange open(UpstreamRequest request);
}
