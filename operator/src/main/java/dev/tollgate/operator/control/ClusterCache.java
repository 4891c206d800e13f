package dev.tollgate.operator.control;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.BackendSpec;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.config.SnapshotInputs;
import dev.tollgate.operator.config.UnreadSecretTypes;
import dev.tollgate.sidecar.config.ModelPrice;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Informer caches of everything a namespace's snapshot is built from, cluster-wide: ProviderSecrets,
 * AIRoutes, SpendKeys, Secrets and Namespaces. Every change is reported as the namespaces whose
 * snapshot it may change.
 *
 * <p>All Secrets are informed: Kubernetes cannot watch "the Secrets some ProviderSecret or SpendKey
 * names" (no such label or field selector), and provider keys must reach sidecars within a second
 * of a rotation. The cost is memory for the cluster's Secrets, less the types the operator never
 * reads ({@link UnreadSecretTypes}: Helm releases, ServiceAccount tokens, pull secrets, TLS keys).
 */
public final class ClusterCache implements AutoCloseable {
    private final SharedIndexInformer<ProviderSecret> providers;
    private final SharedIndexInformer<AIRoute> routes;
    private final SharedIndexInformer<SpendKey> spendKeys;
    private final SharedIndexInformer<Secret> secrets;
    private final SharedIndexInformer<Namespace> namespaces;

    public ClusterCache(KubernetesClient client) {
        this.providers = client.resources(ProviderSecret.class).inAnyNamespace().runnableInformer(0);
        this.routes = client.resources(AIRoute.class).inAnyNamespace().runnableInformer(0);
        this.spendKeys = client.resources(SpendKey.class).inAnyNamespace().runnableInformer(0);
        this.secrets = withoutUnreadTypes(client.secrets().inAnyNamespace()).runnableInformer(0);
        this.namespaces = client.namespaces().runnableInformer(0);
    }

    /**
     * Starts the informers and waits until each has listed its objects: before that, a snapshot
     * would miss routes and keys. From then on {@code changed} hears of every namespace a change may
     * affect (on the informers' thread: it must return quickly).
     */
    public void start(Consumer<String> changed, Duration syncTimeout) {
        routes.addEventHandler(handler(changed, o -> Stream.of(namespaceOf(o))));
        spendKeys.addEventHandler(handler(changed, o -> Stream.of(namespaceOf(o))));
        namespaces.addEventHandler(handler(changed, o -> Stream.of(o.getMetadata().getName())));
        // A provider (or its key's Secret) serves its own namespace and every namespace whose routes name it.
        providers.addEventHandler(handler(changed, o -> Stream.concat(Stream.of(namespaceOf(o)), dependents(namespaceOf(o)))));
        secrets.addEventHandler(handler(changed, o -> Stream.concat(Stream.of(namespaceOf(o)), dependents(namespaceOf(o)))));
        List<CompletableFuture<Void>> started = Stream.of(providers, routes, spendKeys, secrets, namespaces)
                .map(i -> i.start().toCompletableFuture()).toList();
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the cluster's objects", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list ProviderSecrets, AIRoutes, SpendKeys, Secrets and Namespaces within "
                    + syncTimeout.toSeconds() + " s: " + e.getMessage(), e);
        }
    }

    private static FilterWatchListDeletable<Secret, SecretList, Resource<Secret>> withoutUnreadTypes(
            FilterWatchListDeletable<Secret, SecretList, Resource<Secret>> secrets) {
        for (String type : UnreadSecretTypes.TYPES) {
            secrets = secrets.withoutField(UnreadSecretTypes.FIELD, type);
        }
        return secrets;
    }

    /** Everything the snapshot of {@code namespace} is built from, as the caches hold it now. */
    public SnapshotInputs inputs(String namespace, List<ModelPrice> platformPrices, String version) {
        List<AIRoute> ownRoutes = routes.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
        Set<String> secretNamespaces = new LinkedHashSet<>();
        secretNamespaces.add(namespace);
        ownRoutes.forEach(r -> providerNamespaces(r).forEach(secretNamespaces::add));
        List<Secret> neededSecrets = new ArrayList<>();
        secretNamespaces.forEach(ns -> neededSecrets.addAll(secrets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)));
        Namespace ns = namespaces.getStore().getByKey(namespace);
        Map<String, String> labels = ns == null ? Map.of() : ns.getMetadata().getLabels();
        return new SnapshotInputs(namespace, labels, providers.getStore().list(), ownRoutes,
                spendKeys.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace), neededSecrets, platformPrices, version);
    }

    /** Every SpendKey of the cluster, as the cache holds it now. */
    public List<SpendKey> spendKeys() {
        return spendKeys.getStore().list();
    }

    /** Namespaces with a route naming a ProviderSecret of {@code providerNamespace}. */
    private Stream<String> dependents(String providerNamespace) {
        return routes.getStore().list().stream()
                .filter(r -> providerNamespaces(r).anyMatch(providerNamespace::equals))
                .map(ClusterCache::namespaceOf)
                .distinct();
    }

    private static Stream<String> providerNamespaces(AIRoute route) {
        if (route.getSpec() == null) {
            return Stream.empty();
        }
        return route.getSpec().backends().stream()
                .map(BackendSpec::providerRef)
                .filter(Objects::nonNull)
                .map(ref -> ref.namespaceOr(namespaceOf(route)));
    }

    private static String namespaceOf(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<String> changed,
            java.util.function.Function<T, Stream<String>> affected) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                affected.apply(object).forEach(changed);
            }

            @Override
            public void onUpdate(T before, T after) {
                affected.apply(after).forEach(changed);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                affected.apply(object).forEach(changed);
            }
        };
    }

    @Override
    public void close() {
        Stream.of(providers, routes, spendKeys, secrets, namespaces).forEach(SharedIndexInformer::close);
    }
}
