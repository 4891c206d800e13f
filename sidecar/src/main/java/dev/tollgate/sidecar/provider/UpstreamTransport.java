package dev.tollgate.sidecar.provider;

import java.util.concurrent.CompletableFuture;

/** Sends a built request somewhere: over HTTP, or to the in-process mock. */
public interface UpstreamTransport {
    /** Completes when the response headers arrived; cancelling the future aborts the exchange. */
    CompletableFuture<UpstreamResponse> send(UpstreamRequest request);
}
