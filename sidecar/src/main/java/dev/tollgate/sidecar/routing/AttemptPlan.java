package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Which backend each attempt of one request goes to: weighted choice within the lowest priority
 * tier that still has an untried backend whose circuit is closed, so each tier is tried once the one
 * above it failed; once every healthy backend was tried, the last one is tried again (after a
 * backoff the caller applies) until it had the route's {@code retry.attempts} tries.
 */
public final class AttemptPlan {
    private final int triesPerBackend;
    private final String requestedModel;
    private final CircuitBreakers breakers;
    private final RandomGenerator random;
    /** Backends by priority, the lowest number first. */
    private final List<List<BackendConfig>> tiers;
    /** By identity: the route's own objects, and a record's hash would walk all of its fields every time. */
    private final Set<BackendConfig> tried = Collections.newSetFromMap(new IdentityHashMap<>());
    private BackendConfig last;
    private int triesOfLast;

    public AttemptPlan(RouteConfig route, String requestedModel, CircuitBreakers breakers, RandomGenerator random) {
        this.triesPerBackend = route.retry().attempts();
        this.requestedModel = requestedModel;
        this.breakers = breakers;
        this.random = random;
        this.tiers = tiers(route.backends());
    }

    /** Most routes have one priority: their backends are the one tier as they are, with nothing built per request. */
    private static List<List<BackendConfig>> tiers(List<BackendConfig> backends) {
        boolean onePriority = true;
        for (BackendConfig backend : backends) {
            onePriority &= backend.priority() == backends.get(0).priority();
        }
        if (onePriority) {
            return List.of(backends);
        }
        TreeMap<Integer, List<BackendConfig>> byPriority = new TreeMap<>();
        for (BackendConfig backend : backends) {
            byPriority.computeIfAbsent(backend.priority(), p -> new ArrayList<>()).add(backend);
        }
        return List.copyOf(byPriority.values());
    }

    /** The next attempt's backend, or null when the tries are used up or no backend may be called now. */
    public Choice next(long nowMs) {
        for (List<BackendConfig> tier : tiers) {
            List<BackendConfig> candidates = new ArrayList<>();
            for (BackendConfig backend : tier) {
                if (!tried.contains(backend) && breaker(backend).isAvailable(nowMs)) {
                    candidates.add(backend);
                }
            }
            BackendConfig chosen = pickWeighted(candidates, nowMs);
            if (chosen != null) {
                tried.add(chosen);
                last = chosen;
                triesOfLast = 1;
                return new Choice(chosen, 1);
            }
        }
        if (last != null && triesOfLast < triesPerBackend && breaker(last).tryAcquire(nowMs)) {
            return new Choice(last, ++triesOfLast);
        }
        return null;
    }

    /** The last backend gets no more tries: its provider family cannot serve the request's API. */
    public void moveOn() {
        triesOfLast = triesPerBackend;
    }

    private BackendConfig pickWeighted(List<BackendConfig> candidates, long nowMs) {
        while (!candidates.isEmpty()) {
            // Weight 0 takes traffic only when every candidate has weight 0.
            boolean allZero = candidates.stream().allMatch(b -> b.weight() == 0);
            long total = allZero ? candidates.size() : candidates.stream().mapToLong(BackendConfig::weight).sum();
            long ticket = random.nextLong(total);
            BackendConfig pick = candidates.get(candidates.size() - 1);
            for (BackendConfig b : candidates) {
                ticket -= allZero ? 1 : b.weight();
                if (ticket < 0) {
                    pick = b;
                    break;
                }
            }
            if (breaker(pick).tryAcquire(nowMs)) {
                return pick;
            }
            // Lost the half-open probe to another request: leave it out and draw again.
            candidates.remove(pick);
        }
        return null;
    }

    private CircuitBreaker breaker(BackendConfig backend) {
        return breakers.get(backend.provider(), backend.upstreamModel(requestedModel));
    }

    /** Whether any backend was chosen at all (false: every circuit was open). */
    public boolean triedAny() {
        return last != null;
    }

    /** @param tryOfBackend 1 for a backend's first try; above 1 it just failed and the caller backs off first */
    public record Choice(BackendConfig backend, int tryOfBackend) {
        public boolean retrySame() {
            return tryOfBackend > 1;
        }
    }
}
