package dev.tollgate.operator.config;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Optional;

/** One value of a Secret, read the way the snapshot reads it (stringData, then base64 data, trimmed). */
public final class SecretValues {
    private SecretValues() {
    }

    public static Optional<String> read(Secret secret, String key) {
        try {
            return Optional.of(new SecretIndex(List.of(secret))
                    .value(ObjectNames.namespace(secret), secret.getMetadata().getName(), key));
        } catch (Rejected e) {
            return Optional.empty();
        }
    }
}
