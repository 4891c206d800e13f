package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.config.ModelPattern;
import java.util.List;

/** Which requested model names a key may use: exact names, or prefixes written with a trailing {@code *}. */
final class ModelAllowList {
    private ModelAllowList() {
    }

    /** An empty list allows every model. */
    static boolean allows(List<String> patterns, String model) {
        if (patterns.isEmpty()) {
            return true;
        }
        return patterns.stream().anyMatch(pattern -> ModelPattern.matches(pattern, model));
    }
}
