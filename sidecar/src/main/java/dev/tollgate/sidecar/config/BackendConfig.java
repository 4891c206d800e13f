package dev.tollgate.sidecar.config;

/**
 * One place a route may send a request.
 *
 * @param provider the provider's id ({@code namespace/name})
 * @param model    the upstream model id; null sends the requested name unchanged
 * @param weight   share within its priority tier
 * @param priority lower first; higher tiers are fallbacks
 */
public record BackendConfig(String provider, String model, Integer weight, Integer priority) {

    public BackendConfig {
        weight = weight == null ? 1 : weight;
        priority = priority == null ? 0 : priority;
    }

    public String upstreamModel(String requested) {
        return model == null || model.isBlank() ? requested : model;
    }
}
