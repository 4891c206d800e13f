package dev.tollgate.sidecar.config;

import java.util.List;

/**
 * One immutable, versioned configuration snapshot for a sidecar: what the operator sends
 * (and local mode builds) for one namespace. Everything the request path needs, nothing more.
 */
public record GatewayConfig(
        String version,
        List<ProviderConfig> providers,
        List<RouteConfig> routes,
        List<ModelPrice> prices,
        List<SpendKeyConfig> spendKeys) {

    public GatewayConfig {
        version = version == null ? "0" : version;
        providers = providers == null ? List.of() : List.copyOf(providers);
        routes = routes == null ? List.of() : List.copyOf(routes);
        prices = prices == null ? List.of() : List.copyOf(prices);
        spendKeys = spendKeys == null ? List.of() : List.copyOf(spendKeys);
    }

    public static GatewayConfig empty() {
        return new GatewayConfig("0", null, null, null, null);
    }

    /** Checks cross-references and values; throws with a message naming the bad field. */
    public GatewayConfig validate() {
        ConfigValidator.validate(this);
        return this;
    }
}
