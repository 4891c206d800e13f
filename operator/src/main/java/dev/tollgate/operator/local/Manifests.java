package dev.tollgate.operator.local;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.SpendKey;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/**
 * The objects read from a manifest directory, and notes about what was skipped. Secrets hold
 * keys: never print them, only their names.
 */
public record Manifests(
        List<ProviderSecret> providerSecrets,
        List<AIRoute> routes,
        List<SpendKey> spendKeys,
        List<Secret> secrets,
        List<String> notes) {

    public Manifests {
        providerSecrets = List.copyOf(providerSecrets);
        routes = List.copyOf(routes);
        spendKeys = List.copyOf(spendKeys);
        secrets = List.copyOf(secrets);
        notes = List.copyOf(notes);
    }

    /** Counts only: a record would print every Secret's values. */
    @Override
    public String toString() {
        return "Manifests[" + providerSecrets.size() + " ProviderSecrets, " + routes.size() + " AIRoutes, "
                + spendKeys.size() + " SpendKeys, " + secrets.size() + " Secrets, " + notes.size() + " notes]";
    }
}
