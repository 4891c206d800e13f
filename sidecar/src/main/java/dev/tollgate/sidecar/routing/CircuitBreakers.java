package dev.tollgate.sidecar.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** One breaker per provider and upstream model; they outlive configuration swaps. */
public final class CircuitBreakers {
    private final Map<Key, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public CircuitBreaker get(String providerId, String upstreamModel) {
        return breakers.computeIfAbsent(new Key(providerId, upstreamModel), k -> new CircuitBreaker());
    }

    /** Visits (provider, upstream model) → breaker, for the circuit-state gauge. */
    public void forEach(BiConsumer<Key, CircuitBreaker> visitor) {
        breakers.forEach(visitor);
    }

    public record Key(String providerId, String upstreamModel) {
    }
}
