package dev.tollgate.operator.config;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.sidecar.config.ModelPrice;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;

/**
 * What the snapshot of one namespace is built from: plain objects, as an informer cache or a
 * directory of manifests holds them. Lists may hold objects of other namespaces; only
 * ProviderSecrets that allow {@code namespace} are used from those.
 *
 * @param namespaceLabels labels of {@code namespace}, for ProviderSecrets' namespaceSelector
 * @param platformPrices  the platform's price catalog overrides (micro-USD per 1M tokens)
 * @param version         the snapshot's version, chosen by the caller
 */
public record SnapshotInputs(
        String namespace,
        Map<String, String> namespaceLabels,
        List<ProviderSecret> providerSecrets,
        List<AIRoute> routes,
        List<SpendKey> spendKeys,
        List<Secret> secrets,
        List<ModelPrice> platformPrices,
        String version) {

    public SnapshotInputs {
        namespaceLabels = namespaceLabels == null ? Map.of() : Map.copyOf(namespaceLabels);
        providerSecrets = providerSecrets == null ? List.of() : List.copyOf(providerSecrets);
        routes = routes == null ? List.of() : List.copyOf(routes);
        spendKeys = spendKeys == null ? List.of() : List.copyOf(spendKeys);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        platformPrices = platformPrices == null ? List.of() : List.copyOf(platformPrices);
    }

    /** Counts only: a record would print every Secret's values. */
    @Override
    public String toString() {
        return "SnapshotInputs[namespace=" + namespace + ", version=" + version + ", " + providerSecrets.size()
                + " ProviderSecrets, " + routes.size() + " AIRoutes, " + spendKeys.size() + " SpendKeys, "
                + secrets.size() + " Secrets, " + platformPrices.size() + " platform prices]";
    }
}
