package dev.tollgate.sidecar.provider;

import java.io.IOException;

/**
 * One request to a provider, run on the calling thread. Timeouts come from outside: a watchdog
 * calls {@link #abort()}, which makes a blocked {@link #send()} or body read fail at once.
 */
public interface UpstreamExchange {
    /** Sends the request and blocks until the response status and headers arrived. */
    UpstreamResponse send() throws IOException;

    /** Aborts the exchange from any thread; the connection is dropped, not reused. */
    void abort();
}
