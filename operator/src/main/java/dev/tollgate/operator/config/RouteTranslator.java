package dev.tollgate.operator.config;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.AIRouteSpec;
import dev.tollgate.operator.api.BackendSpec;
import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.CircuitBreakerConfig;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.Durations;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AIRoute → the sidecar's {@link RouteConfig}. A backend whose provider cannot be used is left
 * out and reported; the route stays while at least one backend is usable.
 */
final class RouteTranslator {
    private RouteTranslator() {
    }

    /** The route and the providers its backends use; unusable backends are added to {@code problems}. */
    static Translated translate(AIRoute route, ProviderResolver providers, List<Problem> problems) throws Rejected {
        AIRouteSpec spec = route.getSpec();
        if (spec == null) {
            throw new Rejected("Invalid", "spec is required");
        }
        if (spec.workloadSelector() != null && !spec.workloadSelector().matchExpressions().isEmpty()) {
            // The sidecar matches labels only; serving the route without the expressions would widen it.
            throw new Rejected("Invalid", "spec.workloadSelector supports matchLabels only");
        }
        String id = ObjectNames.id(route);
        List<BackendConfig> backends = new ArrayList<>();
        Map<String, ProviderConfig> used = new LinkedHashMap<>();
        for (int i = 0; i < spec.backends().size(); i++) {
            BackendSpec backend = spec.backends().get(i);
            if (backend.providerRef() == null || backend.providerRef().name() == null) {
                throw new Rejected("Invalid", "spec.backends[" + i + "].providerRef.name is required");
            }
            String ns = backend.providerRef().namespaceOr(ObjectNames.namespace(route));
            try {
                ProviderConfig provider = providers.resolve(ns, backend.providerRef().name());
                used.put(provider.id(), provider);
                backends.add(new BackendConfig(provider.id(), backend.model(), backend.weight(), backend.priority()));
            } catch (Rejected e) {
                problems.add(new Problem("AIRoute", id, e.reason(), "backend " + i + " left out: " + e.getMessage()));
            }
        }
        if (backends.isEmpty()) {
            throw new Rejected("NoUsableBackend", "no usable backend, route not served");
        }
        RouteConfig config;
        try {
            config = new RouteConfig(id, spec.models(),
                    spec.workloadSelector() == null ? null : spec.workloadSelector().matchLabels(),
                    backends, retry(spec), timeouts(spec), circuitBreaker(spec), spec.requireSpendKey(),
                    PriceRows.translate(spec.pricing(), "spec.pricing"));
            // The sidecar's own validator, on this route alone, so one bad route spoils nothing else.
            new GatewayConfig(null, List.copyOf(used.values()), List.of(config), null, null).validate();
        } catch (ConfigException e) {
            throw new Rejected("Invalid", e.getMessage().replaceFirst("^routes\\[0]\\.", "spec."));
        }
        return new Translated(config, List.copyOf(used.values()));
    }

    /** A route ready for the snapshot and the providers it needs there. */
    record Translated(RouteConfig config, List<ProviderConfig> providers) {
    }

    private static RetryConfig retry(AIRouteSpec spec) {
        if (spec.retry() == null) {
            return RetryConfig.defaults();
        }
        return new RetryConfig(
                spec.retry().attempts() == null ? 0 : spec.retry().attempts(),
                spec.retry().on() == null ? null : Set.copyOf(spec.retry().on()),
                spec.retry().backoff() == null ? RetryConfig.defaults().backoffMs()
                        : Durations.toMillis(spec.retry().backoff(), "spec.retry.backoff"));
    }

    private static TimeoutConfig timeouts(AIRouteSpec spec) {
        if (spec.timeouts() == null) {
            return TimeoutConfig.defaults();
        }
        return new TimeoutConfig(
                millisOrZero(spec.timeouts().request(), "spec.timeouts.request"),
                millisOrZero(spec.timeouts().firstToken(), "spec.timeouts.firstToken"),
                millisOrZero(spec.timeouts().attempt(), "spec.timeouts.attempt"),
                millisOrZero(spec.timeouts().idle(), "spec.timeouts.idle"));
    }

    private static CircuitBreakerConfig circuitBreaker(AIRouteSpec spec) {
        if (spec.circuitBreaker() == null) {
            return CircuitBreakerConfig.defaults();
        }
        return new CircuitBreakerConfig(
                spec.circuitBreaker().consecutiveFailures() == null ? 0 : spec.circuitBreaker().consecutiveFailures(),
                millisOrZero(spec.circuitBreaker().cooldown(), "spec.circuitBreaker.cooldown"));
    }

    /** Zero asks the sidecar's record for its default. */
    private static long millisOrZero(String duration, String field) {
        return duration == null ? 0 : Durations.toMillis(duration, field);
    }
}
