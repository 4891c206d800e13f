package dev.tollgate.sidecar.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Bounds the `feature` label: the first N distinct values keep their name, later ones become "other". */
final class FeatureLabels {
    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    FeatureLabels(int max) {
        this.max = max;
    }

    String label(String feature) {
        if (feature == null || feature.isEmpty()) {
            return "";
        }
        if (seen.contains(feature)) {
            return feature;
        }
        synchronized (this) {
            if (seen.size() < max) {
                seen.add(feature);
                return feature;
            }
        }
        return "other";
    }
}
