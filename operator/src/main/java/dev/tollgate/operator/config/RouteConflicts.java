package dev.tollgate.operator.config;

import dev.tollgate.sidecar.config.RouteConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two routes conflict when they claim the same model name (or the same prefix) for the same
 * workloads. The older route keeps it; the newer one loses that name and is reported
 * Conflicted. An exact name and a prefix that covers it do not conflict: the sidecar prefers
 * the exact name when it routes.
 */
final class RouteConflicts {
    private RouteConflicts() {
    }

    /** {@code routes} oldest first; returns them without contested names, dropping any left with none. */
    static List<RouteConfig> resolve(List<RouteConfig> routes, List<Problem> problems) {
        Map<Claim, String> owners = new HashMap<>();
        List<RouteConfig> kept = new ArrayList<>();
        for (RouteConfig route : routes) {
            List<String> models = new ArrayList<>();
            for (String model : route.models()) {
                String owner = owners.putIfAbsent(new Claim(model, route.workloadSelector()), route.name());
                if (owner == null) {
                    models.add(model);
                } else {
                    problems.add(new Problem("AIRoute", route.name(), "Conflicted",
                            "model '" + model + "' is already claimed by the older route " + owner));
                }
            }
            if (models.size() == route.models().size()) {
                kept.add(route);
            } else if (!models.isEmpty()) {
                kept.add(new RouteConfig(route.name(), models, route.workloadSelector(), route.backends(), route.retry(),
                        route.timeouts(), route.circuitBreaker(), route.requireSpendKey(), route.pricing()));
            }
        }
        return kept;
    }

    private record Claim(String model, Map<String, String> workloadSelector) {
    }
}
