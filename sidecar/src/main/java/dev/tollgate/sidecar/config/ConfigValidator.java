package dev.tollgate.sidecar.config;

import dev.tollgate.sidecar.provider.vertex.ServiceAccountKey;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Validation of a {@link GatewayConfig}; every message starts with the path of the bad field. */
final class ConfigValidator {
    private ConfigValidator() {
    }

    static void validate(GatewayConfig config) {
        Map<String, ProviderConfig> providers = config.providers().stream()
                .collect(Collectors.toMap(p -> String.valueOf(p.id()), Function.identity(), (a, b) -> {
                    throw new ConfigException("providers: duplicate id '" + a.id() + "'");
                }));
        for (int i = 0; i < config.providers().size(); i++) {
            validateProvider(config.providers().get(i), "providers[" + i + "]");
        }
        Set<String> routeNames = new HashSet<>();
        for (int i = 0; i < config.routes().size(); i++) {
            RouteConfig route = config.routes().get(i);
            String at = "routes[" + i + "]";
            require(route.name() != null && !route.name().isBlank(), at + ".name: required");
            require(routeNames.add(route.name()), at + ".name: duplicate route '" + route.name() + "'");
            require(!route.models().isEmpty(), at + ".models: at least one model name is required");
            for (int m = 0; m < route.models().size(); m++) {
                validateModelPattern(route.models().get(m), at + ".models[" + m + "]");
            }
            require(!route.backends().isEmpty(), at + ".backends: at least one backend is required");
            for (int b = 0; b < route.backends().size(); b++) {
                BackendConfig backend = route.backends().get(b);
                String bat = at + ".backends[" + b + "]";
                require(backend.provider() != null && providers.containsKey(backend.provider()),
                        bat + ".provider: unknown provider '" + backend.provider() + "'");
                require(backend.weight() >= 0, bat + ".weight: must be >= 0");
                require(backend.priority() >= 0, bat + ".priority: must be >= 0");
            }
            require(route.retry().on().stream().allMatch(RetryConfig.ALL_CLASSES::contains),
                    at + ".retry.on: allowed values are " + RetryConfig.ALL_CLASSES);
            validatePrices(route.pricing(), at + ".pricing");
        }
        validatePrices(config.prices(), "prices");
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < config.spendKeys().size(); i++) {
            SpendKeyConfig key = config.spendKeys().get(i);
            String at = "spendKeys[" + i + "]";
            require(key.name() != null && !key.name().isBlank(), at + ".name: required");
            require(key.tokenSha256() != null && key.tokenSha256().matches("[0-9a-f]{64}"),
                    at + ".tokenSha256: must be 64 lowercase hex characters");
            require(hashes.add(key.tokenSha256()), at + ".tokenSha256: two keys share one token");
            require(key.budgetMicros() == null || key.budgetMicros() >= 0, at + ".budget: must be >= 0");
            require(key.requestsPerMinute() == null || key.requestsPerMinute() > 0, at + ".rateLimit.requestsPerMinute: must be > 0");
            require(key.tokensPerMinute() == null || key.tokensPerMinute() > 0, at + ".rateLimit.tokensPerMinute: must be > 0");
        }
    }

    private static void validateProvider(ProviderConfig provider, String at) {
        require(provider.id() != null && !provider.id().isBlank(), at + ".id: required");
        ProviderType type;
        try {
            type = ProviderType.of(provider.type());
        } catch (ConfigException e) {
            throw new ConfigException(at + ".type: " + e.getMessage());
        }
        if (type.family() == ProviderType.ApiFamily.MOCK) {
            return;
        }
        if (type.family() == ProviderType.ApiFamily.BEDROCK) {
            validateBedrock(provider, at);
        }
        if (type.family() == ProviderType.ApiFamily.VERTEX) {
            validateVertex(provider, at);
        }
        String url = provider.effectiveBaseUrl();
        require(url != null, at + ".baseUrl: required for provider type '" + type.wireName() + "'");
        try {
            URI uri = URI.create(url);
            require("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()),
                    at + ".baseUrl: must be an http or https URL");
            require(uri.getHost() != null, at + ".baseUrl: has no host");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + ".baseUrl: not a URL");
        }
    }

    /** SigV4 needs the region even with a custom base URL; the account needs a key or an access key pair. */
    private static void validateBedrock(ProviderConfig provider, String at) {
        require(provider.options().get("region") != null && !provider.options().get("region").isBlank(),
                at + ".options.region: required for provider type 'bedrock' (a ProviderSecret's bedrock.region)");
        boolean apiKey = provider.apiKey() != null && !provider.apiKey().isBlank();
        boolean accessKey = provider.credentials().get("accessKeyId") != null
                && provider.credentials().get("secretAccessKey") != null;
        require(apiKey || accessKey, at + ".credentials: bedrock needs accessKeyId and secretAccessKey, or an API key");
    }

    /** Vertex AI needs its project and location for every URL, and a usable service-account key. */
    private static void validateVertex(ProviderConfig provider, String at) {
        require(provider.options().containsKey("project"), at + ".options.project: required for provider type 'vertex-ai'");
        require(provider.options().containsKey("location"), at + ".options.location: required for provider type 'vertex-ai'");
        try {
            ServiceAccountKey.parse(provider.apiKey());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + ".apiKey: " + e.getMessage());
        }
    }

    private static void validateModelPattern(String pattern, String at) {
        require(pattern != null && !pattern.isBlank(), at + ": empty model name");
        int star = pattern.indexOf('*');
        require(star < 0 || star == pattern.length() - 1, at + ": '*' is only allowed at the end");
    }

    private static void validatePrices(java.util.List<ModelPrice> prices, String field) {
        Set<String> models = new HashSet<>();
        for (int i = 0; i < prices.size(); i++) {
            ModelPrice price = prices.get(i);
            String at = field + "[" + i + "]";
            require(price.model() != null && !price.model().isBlank(), at + ".model: required");
            require(models.add(price.model().toLowerCase(java.util.Locale.ROOT)), at + ".model: '" + price.model() + "' is priced twice");
            require(price.input() >= 0 && price.output() >= 0 && price.cachedInputRate() >= 0
                    && price.cacheWriteRate() >= 0 && price.reasoningRate() >= 0, at + ": prices must be >= 0");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }
}
