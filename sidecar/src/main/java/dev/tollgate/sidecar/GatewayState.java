package dev.tollgate.sidecar;

import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.PriceBook;
import dev.tollgate.sidecar.metering.PriceCatalog;
import dev.tollgate.sidecar.provider.Provider;
import dev.tollgate.sidecar.provider.ProviderFactory;
import dev.tollgate.sidecar.routing.RouteTable;
import java.util.HashMap;
import java.util.Map;

/**
 * A configuration snapshot compiled for the request path: routes indexed for this workload,
 * providers with their adapters, prices. Immutable; a request keeps the one it started with.
 */
public record GatewayState(GatewayConfig config, RouteTable routes, Map<String, Provider> providers, PriceBook prices) {

    public static GatewayState compile(GatewayConfig config, SidecarSettings settings, ProviderFactory factory) {
        config.validate();
        Map<String, Provider> providers = new HashMap<>();
        for (ProviderConfig provider : config.providers()) {
            providers.put(provider.id(), factory.create(provider));
        }
        return new GatewayState(config, new RouteTable(config.routes(), settings.podLabels()), Map.copyOf(providers),
                new PriceBook(PriceCatalog.builtIn(), config.prices()));
    }
}
