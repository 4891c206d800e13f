package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.config.ModelPattern;
import dev.tollgate.sidecar.config.RouteConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes that apply to this workload, indexed by model name. Exact names beat prefixes, the
 * longest prefix beats shorter ones, and otherwise the earlier route (the snapshot lists older first) wins.
 */
public final class RouteTable {
    private final Map<String, RouteConfig> exact = new HashMap<>();
    private final List<Map.Entry<String, RouteConfig>> prefixes = new ArrayList<>();

    public RouteTable(List<RouteConfig> routes, Map<String, String> podLabels) {
        for (RouteConfig route : routes) {
            if (!selects(route.workloadSelector(), podLabels)) {
                continue;
            }
            for (String model : route.models()) {
                if (ModelPattern.isPrefix(model)) {
                    prefixes.add(Map.entry(ModelPattern.prefix(model), route));
                } else {
                    exact.putIfAbsent(model, route);
                }
            }
        }
        // Stable sort: among equal lengths the earlier route stays first.
        prefixes.sort((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length()));
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    public Optional<RouteConfig> resolve(String model) {
        RouteConfig route = exact.get(model);
        if (route != null) {
            return Optional.of(route);
        }
        for (Map.Entry<String, RouteConfig> prefix : prefixes) {
            if (model.startsWith(prefix.getKey())) {
                return Optional.of(prefix.getValue());
            }
        }
        return Optional.empty();
    }

    /** Exact model names, in no particular order (prefix patterns name no model). */
    public List<String> exactModelNames() {
        return List.copyOf(exact.keySet());
    }
}
