package dev.tollgate.sidecar.provider;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A provider answer's status and headers; header names are kept in lower case. */
public record UpstreamHead(int status, Map<String, String> headers) {

    public UpstreamHead {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean successful() {
        return status / 100 == 2;
    }
}
