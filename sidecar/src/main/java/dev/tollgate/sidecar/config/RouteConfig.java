package dev.tollgate.sidecar.config;

import java.util.List;
import java.util.Map;

/**
 * Which model names an app may call and where they go.
 *
 * @param name             the AIRoute's {@code namespace/name}
 * @param models           names apps send in "model"; a trailing {@code *} makes a prefix
 * @param workloadSelector pod labels that must all match; empty matches every workload
 * @param pricing          per-route price overrides, looked up before the catalog
 */
public record RouteConfig(
        String name,
        List<String> models,
        Map<String, String> workloadSelector,
        List<BackendConfig> backends,
        RetryConfig retry,
        TimeoutConfig timeouts,
        CircuitBreakerConfig circuitBreaker,
        boolean requireSpendKey,
        List<ModelPrice> pricing) {

    public RouteConfig {
        models = models == null ? List.of() : List.copyOf(models);
        workloadSelector = workloadSelector == null ? Map.of() : Map.copyOf(workloadSelector);
        backends = backends == null ? List.of() : List.copyOf(backends);
        retry = retry == null ? RetryConfig.defaults() : retry;
        timeouts = timeouts == null ? TimeoutConfig.defaults() : timeouts;
        circuitBreaker = circuitBreaker == null ? CircuitBreakerConfig.defaults() : circuitBreaker;
        pricing = pricing == null ? List.of() : List.copyOf(pricing);
    }
}
