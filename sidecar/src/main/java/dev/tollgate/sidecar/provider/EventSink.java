package dev.tollgate.sidecar.provider;

import java.io.IOException;

/** Where a stream translator writes OpenAI SSE bytes for the client; each call is flushed. */
@FunctionalInterface
public interface EventSink {
    void send(byte[] sse) throws IOException;
}
