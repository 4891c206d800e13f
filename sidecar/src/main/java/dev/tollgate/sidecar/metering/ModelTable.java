package dev.tollgate.sidecar.metering;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Values keyed by model id, found by the most specific known id that names a requested form. */
final class ModelTable<T> {
    /** A found value and the length of the known id that matched: longer is more specific. */
    record Hit<T>(T value, int length) {
    }

    private final Map<String, T> byId = new HashMap<>();

    /** Throws IllegalArgumentException naming the id when two values share one model id. */
    ModelTable(Iterable<T> values, Function<T, String> modelOf, String what) {
        for (T value : values) {
            String model = modelOf.apply(value);
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException(what + ": an entry has no model id");
            }
            String id = ModelIds.normalize(model);
            if (byId.putIfAbsent(id, value) != null) {
                throw new IllegalArgumentException(what + ": model '" + id + "' is listed twice");
            }
        }
    }

    /** The value of the longest known id that names {@code form} (normalized), or null. */
    Hit<T> find(String form) {
        T exact = byId.get(form);
        if (exact != null) {
            return new Hit<>(exact, form.length());
        }
        for (int i = form.length() - 1; i > 0; i--) {
            if (ModelIds.isVariantSeparator(form.charAt(i))) {
                T value = byId.get(form.substring(0, i));
                if (value != null) {
                    return new Hit<>(value, i);
                }
            }
        }
        return null;
    }
}
