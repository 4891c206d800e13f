package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ClientRequest;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import java.util.Optional;

/** How one client API is served by a backend's provider family; empty when it cannot be (the backend is skipped). */
@FunctionalInterface
public interface ApiSelector<R extends ClientRequest> {
    Optional<ApiAdapter<R>> select(ProviderAdapter family, String upstreamModel);
}
