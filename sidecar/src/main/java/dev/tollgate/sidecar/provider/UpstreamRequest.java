package dev.tollgate.sidecar.provider;

import java.net.URI;
import java.util.Map;

/** An HTTP request to a provider, fully built by an adapter (URL, auth headers, body). */
public record UpstreamRequest(URI uri, Map<String, String> headers, byte[] body) {

    @Override
    public String toString() {
        // Headers carry the provider key.
        return "UpstreamRequest[" + uri + "]";
    }
}
