package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.config.ProviderConfig;

/** A configured provider ready to call: its settings, the adapter for its API, the way to reach it. */
public record Provider(ProviderConfig config, ProviderAdapter adapter, UpstreamTransport transport) {

    public String id() {
        return config.id();
    }

    public String type() {
        return config.type();
    }
}
