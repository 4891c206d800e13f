package dev.tollgate.operator.config;

import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.sidecar.config.ProviderConfig;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.TreeMap;

/**
 * Whether a ProviderSecret can be used, decided by the same translation the snapshot uses, and
 * the fingerprint of its key: what the ProviderSecret reconciler shows in status.
 *
 * @param problem        why it cannot be used; null when it can
 * @param keyFingerprint {@link KeyFingerprint} of its key or credential; null without one (mock) or when unusable
 */
public record ProviderCheck(Problem problem, String keyFingerprint) {

    /** @param secrets the Secrets it may reference (others are ignored) */
    public static ProviderCheck of(ProviderSecret provider, List<Secret> secrets) {
        try {
            ProviderConfig config = ProviderTranslator.translate(provider, new SecretIndex(secrets));
            return new ProviderCheck(null, fingerprint(config));
        } catch (Rejected e) {
            return new ProviderCheck(new Problem("ProviderSecret", ObjectNames.id(provider), e.reason(), e.getMessage()), null);
        }
    }

    /** Of the key, or of a multi-part credential's parts in name order (Bedrock's access key pair). */
    private static String fingerprint(ProviderConfig config) {
        if (config.apiKey() != null) {
            return KeyFingerprint.of(config.apiKey());
        }
        return config.credentials().isEmpty() ? null
                : KeyFingerprint.of(String.join("\n", new TreeMap<>(config.credentials()).values()));
    }

    public boolean usable() {
        return problem == null;
    }
}
