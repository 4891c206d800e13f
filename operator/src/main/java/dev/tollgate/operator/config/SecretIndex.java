package dev.tollgate.operator.config;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Secrets by namespace and name; hands out single values and never prints them. */
final class SecretIndex {
    private final Map<String, Secret> byId = new HashMap<>();

    SecretIndex(List<Secret> secrets) {
        for (Secret secret : secrets) {
            byId.put(ObjectNames.id(secret), secret);
        }
    }

    /**
     * The value of {@code key}: {@code stringData} (as written in manifests) before base64
     * {@code data} (as the API server stores it), surrounding whitespace removed (files made
     * with {@code --from-file} end with a newline that is never part of a key).
     */
    String value(String namespace, String name, String key) throws Rejected {
        String value = optionalValue(namespace, name, key);
        if (value == null) {
            throw new Rejected("KeyMissing", "Secret " + namespace + "/" + name + " has no key '" + key + "'");
        }
        return value;
    }

    /** Like {@link #value}, but null when the Secret exists without that key (multi-part credentials). */
    String optionalValue(String namespace, String name, String key) throws Rejected {
        Secret secret = byId.get(namespace + "/" + name);
        String where = "Secret " + namespace + "/" + name;
        if (secret == null) {
            throw new Rejected("SecretMissing", where + " not found");
        }
        String value = secret.getStringData() == null ? null : secret.getStringData().get(key);
        if (value == null && secret.getData() != null && secret.getData().get(key) != null) {
            try {
                value = new String(Base64.getMimeDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Rejected("KeyMissing", where + " key '" + key + "' is not valid base64");
            }
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
