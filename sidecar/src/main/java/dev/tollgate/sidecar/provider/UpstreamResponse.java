package dev.tollgate.sidecar.provider;

import java.io.Closeable;
import java.io.InputStream;
import java.util.Optional;

/** A provider's answer as it arrives: status and headers first, the body as a stream. */
public interface UpstreamResponse extends Closeable {
    int status();

    Optional<String> header(String name);

    InputStream body();

    /** Aborts the exchange if the body was not read to its end (client gone, timeout). */
    @Override
    void close();
}
