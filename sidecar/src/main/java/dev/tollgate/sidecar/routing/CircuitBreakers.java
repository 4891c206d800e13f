package dev.tollgate.sidecar.routing;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One breaker per provider and upstream model; they outlive configuration swaps. A route with a
 * prefix pattern passes clients' model names upstream, so past {@link #PRUNE_ABOVE} breakers the
 * pristine ones (indistinguishable from new) are dropped: clients cannot grow the map without bound.
 */
public final class CircuitBreakers {
    static final int PRUNE_ABOVE = 1_024;

    private final Map<Key, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public CircuitBreaker get(String providerId, String upstreamModel) {
        CircuitBreaker breaker = breakers.computeIfAbsent(new Key(providerId, upstreamModel), k -> new CircuitBreaker());
        if (breakers.size() > PRUNE_ABOVE) {
            breakers.values().removeIf(CircuitBreaker::isPristine);
        }
        return breaker;
    }

    int size() {
        return breakers.size();
    }

    /** Visits (provider, upstream model) → breaker, for the circuit-state gauge. */
    public void forEach(BiConsumer<Key, CircuitBreaker> visitor) {
        breakers.forEach(visitor);
    }

    /** Equality spelled out: a record's generated one runs through invokedynamic, slow on the C1-only JIT the image uses. */
    public record Key(String providerId, String upstreamModel) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(providerId, key.providerId)
                    && Objects.equals(upstreamModel, key.upstreamModel);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(providerId) + Objects.hashCode(upstreamModel);
        }
    }
}
