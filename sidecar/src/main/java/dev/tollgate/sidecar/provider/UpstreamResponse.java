package dev.tollgate.sidecar.provider;

import java.io.Closeable;
import java.io.InputStream;
import java.util.Optional;

/** A provider's answer as it arrives: status and headers first, the body as a stream. */
public interface UpstreamResponse extends Closeable {
    int status();

    Optional<String> header(String name);

    InputStream body();

    /** Releases the exchange: a body read to its end keeps the connection for reuse, else it is dropped. */
    @Override
    void close();
}
