package dev.tollgate.operator.config;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one translation from custom resources (+ Secrets + platform prices) to the sidecar
 * configuration of one namespace, used by the operator and by local mode alike. A bad object
 * is left out and reported as a {@link Problem}; it never spoils the rest.
 */
public final class SnapshotBuilder {
    private SnapshotBuilder() {
    }

    /** @throws dev.tollgate.sidecar.config.ConfigException when the platform prices themselves are invalid */
    public static Snapshot build(SnapshotInputs in) {
        List<Problem> problems = new ArrayList<>();
        SecretIndex secrets = new SecretIndex(in.secrets());
        ProviderResolver providers = new ProviderResolver(in.namespace(), in.namespaceLabels(), in.providerSecrets(), secrets);
        problems.addAll(providers.problemsOfOwnProviders());

        List<RouteConfig> routes = new ArrayList<>();
        Map<String, ProviderConfig> used = new TreeMap<>();
        for (AIRoute route : inNamespace(in.routes(), in.namespace())) {
            try {
                RouteTranslator.Translated translated = RouteTranslator.translate(route, providers, problems);
                routes.add(translated.config());
                translated.providers().forEach(p -> used.put(p.id(), p));
            } catch (Rejected e) {
                problems.add(new Problem("AIRoute", ObjectNames.id(route), e.reason(), e.getMessage()));
            }
        }
        routes = RouteConflicts.resolve(routes, problems);
        List<String> stillUsed = routes.stream().flatMap(r -> r.backends().stream()).map(BackendConfig::provider).toList();
        used.keySet().retainAll(stillUsed);

        GatewayConfig config = new GatewayConfig(in.version(), List.copyOf(used.values()), routes, in.platformPrices(),
                spendKeys(in, secrets, problems));
        return new Snapshot(config.validate(), problems);
    }

    private static List<SpendKeyConfig> spendKeys(SnapshotInputs in, SecretIndex secrets, List<Problem> problems) {
        List<SpendKeyConfig> keys = new ArrayList<>();
        Map<String, String> ownerOfHash = new HashMap<>();
        for (SpendKey key : inNamespace(in.spendKeys(), in.namespace())) {
            String id = ObjectNames.id(key);
            try {
                SpendKeyConfig config = SpendKeyTranslator.translate(key, secrets);
                String owner = ownerOfHash.putIfAbsent(config.tokenSha256(), id);
                if (owner != null) {
                    throw new Rejected("DuplicateToken", "uses the same token as SpendKey " + owner + "; give it its own");
                }
                keys.add(config);
            } catch (Rejected e) {
                problems.add(new Problem("SpendKey", id, e.reason(), e.getMessage()));
            }
        }
        return keys;
    }

    /** Objects of {@code namespace}, oldest first: the order conflicts are decided in. */
    private static <T extends HasMetadata> List<T> inNamespace(List<T> objects, String namespace) {
        return objects.stream()
                .filter(o -> ObjectNames.namespace(o).equals(namespace))
                .sorted(ObjectNames.OLDEST_FIRST)
                .toList();
    }
}
