package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.BackendSpec;
import dev.tollgate.operator.api.ProviderSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who refers to whom, as keys for the informer caches' indexes: an AIRoute to its ProviderSecrets,
 * a ProviderSecret to its Secret. A change to the referenced object finds its referrers by index.
 */
final class References {
    /** Index of AIRoutes by the {@code namespace/name} of every ProviderSecret their backends name. */
    static final String ROUTES_BY_PROVIDER = "tollgate.dev/provider";
    /** Index of ProviderSecrets by the {@code namespace/name} of the Secret holding their key. */
    static final String PROVIDERS_BY_SECRET = "tollgate.dev/secret";

    private References() {
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    static String key(HasMetadata object) {
        return key(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** The ProviderSecrets a route's backends name; a backend without a namespace means the route's own. */
    static List<String> providersOf(AIRoute route) {
        if (route.getSpec() == null) {
            return List.of();
        }
        String own = route.getMetadata().getNamespace();
        return route.getSpec().backends().stream()
                .map(BackendSpec::providerRef)
                .filter(ref -> ref != null && ref.name() != null)
                .map(ref -> key(ref.namespaceOr(own), ref.name()))
                .distinct()
                .toList();
    }

    /** The Secret holding a ProviderSecret's key, always in its own namespace; none for mock. */
    static Optional<ResourceID> secretOf(ProviderSecret provider) {
        if (provider.getSpec() == null || provider.getSpec().secretRef() == null
                || provider.getSpec().secretRef().name() == null) {
            return Optional.empty();
        }
        return Optional.of(new ResourceID(provider.getSpec().secretRef().name(), provider.getMetadata().getNamespace()));
    }

    static List<String> secretKeysOf(ProviderSecret provider) {
        return secretOf(provider).map(id -> List.of(key(id.getNamespace().orElseThrow(), id.getName()))).orElse(List.of());
    }

    static Set<ResourceID> ids(Collection<? extends HasMetadata> objects) {
        return objects.stream().filter(Objects::nonNull).map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
