package dev.tollgate.sidecar.spend;

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
        for (String pattern : patterns) {
            boolean matches = pattern.endsWith("*")
                    ? model.startsWith(pattern.substring(0, pattern.length() - 1))
                    : model.equals(pattern);
            if (matches) {
                return true;
            }
        }
        return false;
    }
}
