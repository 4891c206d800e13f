package dev.tollgate.operator.config;

import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.ProviderSecretSpec;
import dev.tollgate.sidecar.config.ProviderConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the provider a route's backend names, if the route's namespace may use it. Each
 * ProviderSecret is translated (its key read) at most once, and only when allowed.
 */
final class ProviderResolver {
    private final String namespace;
    private final Map<String, String> namespaceLabels;
    private final SecretIndex secrets;
    private final Map<String, ProviderSecret> byId = new HashMap<>();
    private final Map<String, Outcome> translated = new HashMap<>();

    ProviderResolver(String namespace, Map<String, String> namespaceLabels, List<ProviderSecret> providers,
            SecretIndex secrets) {
        this.namespace = namespace;
        this.namespaceLabels = namespaceLabels;
        this.secrets = secrets;
        providers.forEach(p -> byId.put(ObjectNames.id(p), p));
    }

    /** The provider {@code providerNamespace/name}, or why this namespace cannot use it. */
    ProviderConfig resolve(String providerNamespace, String name) throws Rejected {
        String id = providerNamespace + "/" + name;
        ProviderSecret provider = byId.get(id);
        if (provider == null) {
            throw new Rejected("RefNotFound", "ProviderSecret " + id + " not found");
        }
        if (!allows(provider)) {
            throw new Rejected("RefNotPermitted", "ProviderSecret " + id + " does not allow namespace " + namespace
                    + " (spec.allowedNamespaces / spec.namespaceSelector)");
        }
        Outcome outcome = outcome(provider);
        if (outcome.rejected() != null) {
            throw new Rejected("ProviderNotReady", "ProviderSecret " + id + " is not ready: " + outcome.rejected().getMessage());
        }
        return outcome.config();
    }

    /** Why each ProviderSecret of this namespace cannot be used, whether or not a route needs it. */
    List<Problem> problemsOfOwnProviders() {
        return byId.values().stream()
                .filter(p -> ObjectNames.namespace(p).equals(namespace))
                .sorted(ObjectNames.OLDEST_FIRST)
                .filter(p -> outcome(p).rejected() != null)
                .map(p -> new Problem("ProviderSecret", ObjectNames.id(p), outcome(p).rejected().reason(),
                        outcome(p).rejected().getMessage()))
                .toList();
    }

    /** Its own namespace always; others by name ("*" for all) or by a non-empty namespace label selector. */
    private boolean allows(ProviderSecret provider) {
        if (ObjectNames.namespace(provider).equals(namespace)) {
            return true;
        }
        ProviderSecretSpec spec = provider.getSpec();
        if (spec == null) {
            return false;
        }
        return spec.allowedNamespaces().contains(namespace) || spec.allowedNamespaces().contains("*")
                || (spec.namespaceSelector() != null && spec.namespaceSelector().matches(namespaceLabels));
    }

    private Outcome outcome(ProviderSecret provider) {
        return translated.computeIfAbsent(ObjectNames.id(provider), id -> {
            try {
                return new Outcome(ProviderTranslator.translate(provider, secrets), null);
            } catch (Rejected e) {
                return new Outcome(null, e);
            }
        });
    }

    /** A translated provider or why it cannot be used. */
    private record Outcome(ProviderConfig config, Rejected rejected) {
    }
}
