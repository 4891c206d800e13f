package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.provider.Provider;

/** One backend as called for one request: where it went and under which upstream model name. */
public record Attempt(BackendConfig backend, Provider provider, String upstreamModel) {
}
