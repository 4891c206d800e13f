package dev.tollgate.sidecar.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds a label whose values come from outside the configuration (a model name, a feature header):
 * the first {@code max} distinct values keep their name, later ones and any longer than
 * {@code maxLength} become {@value #OTHER}, so no client can grow the series (or the scrape) without bound.
 */
final class BoundedLabels {
    static final String OTHER = "other";

    private final int max;
    private final int maxLength;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    BoundedLabels(int max, int maxLength) {
        this.max = max;
        this.maxLength = maxLength;
    }

    String label(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        if (value.length() > maxLength) {
            return OTHER;
        }
        if (seen.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (seen.size() < max) {
                seen.add(value);
                return value;
            }
        }
        return OTHER;
    }
}
