package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.AIRouteStatus;
import dev.tollgate.operator.api.Condition;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.config.Problem;
import dev.tollgate.operator.config.Snapshot;
import dev.tollgate.operator.config.SnapshotBuilder;
import dev.tollgate.operator.config.SnapshotInputs;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * AIRoute: resolves its providers (other namespaces only where the ProviderSecret allows), finds
 * model-name conflicts with the routes of its namespace, shows {@code Accepted} and
 * {@code ResolvedRefs}. Both come from the namespace's snapshot, so they say what sidecars get.
 *
 * <p>Re-reconciled when a ProviderSecret it names changes, when the Secret of such a
 * ProviderSecret changes, when its namespace's labels change (namespaceSelector), and when
 * another route of its namespace changes its spec (it may take or free a model name).
 */
public final class AIRouteReconciler implements Reconciler<AIRoute> {
    public static final String NAME = "AIRoute";

    private final EventRecorder events;
    private final Clock clock;
    private InformerEventSource<ProviderSecret, AIRoute> providers;
    private InformerEventSource<Secret, AIRoute> secrets;
    private InformerEventSource<Namespace, AIRoute> namespaces;

    public AIRouteReconciler(EventRecorder events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, AIRoute>> prepareEventSources(EventSourceContext<AIRoute> context) {
        IndexerResourceCache<AIRoute> routes = context.getPrimaryCache();
        routes.addIndexer(References.ROUTES_BY_PROVIDER, References::providersOf);

        providers = new InformerEventSource<>(InformerEventSourceConfiguration.from(ProviderSecret.class, AIRoute.class)
                .withName("providers")
                .withSecondaryToPrimaryMapper(provider -> routesNaming(routes, Stream.of(References.key(provider))))
                .build(), context);
        providers.addIndexers(Map.of(References.PROVIDERS_BY_SECRET, References::secretKeysOf));

        secrets = new InformerEventSource<>(SecretInformers.of(AIRoute.class, "secrets")
                .withSecondaryToPrimaryMapper(secret -> routesNaming(routes,
                        providers.byIndex(References.PROVIDERS_BY_SECRET, References.key(secret)).stream()
                                .map(References::key)))
                .build(), context);

        namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, AIRoute.class)
                .withName("namespaces")
                .withOnUpdateFilter((now, before) -> !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(ns -> References.ids(routes.list(ns.getMetadata().getName()).toList()))
                .build(), context);

        // The event carries only the new version of the changed route, which may have freed a name
        // its old version claimed; so every other route of the namespace looks again.
        InformerEventSource<AIRoute, AIRoute> neighbours = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(AIRoute.class, AIRoute.class)
                        .withName("neighbours")
                        .withOnUpdateFilter((now, before) ->
                                !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration()))
                        .withSecondaryToPrimaryMapper(changed -> routes.list(changed.getMetadata().getNamespace())
                                .filter(r -> !r.getMetadata().getName().equals(changed.getMetadata().getName()))
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        .build(), context);
        return List.of(providers, secrets, namespaces, neighbours);
    }

    @Override
    public UpdateControl<AIRoute> reconcile(AIRoute route, Context<AIRoute> context) {
        String namespace = route.getMetadata().getNamespace();
        List<ProviderSecret> allProviders = providers.list().toList();
        List<Secret> providerSecrets = allProviders.stream()
                .flatMap(p -> References.secretOf(p).flatMap(secrets::get).stream())
                .toList();
        Map<String, String> labels = namespaces.get(new ResourceID(namespace))
                .map(ns -> ns.getMetadata().getLabels())
                .orElse(Map.of());
        // The cache may still hold an older version of the route being reconciled.
        List<AIRoute> routes = Stream.concat(Stream.of(route), context.getPrimaryCache().list(namespace)
                        .filter(r -> !r.getMetadata().getName().equals(route.getMetadata().getName())))
                .toList();

        Snapshot snapshot = SnapshotBuilder.build(new SnapshotInputs(namespace, labels, allProviders, routes, List.of(),
                providerSecrets, List.of(), "status"));
        List<Problem> problems = snapshot.problemsOf("AIRoute", References.key(route));

        AIRouteStatus old = route.getStatus();
        List<Condition> previous = old == null ? List.of() : old.conditions();
        List<Condition> conditions = Conditions.carryOver(previous,
                RouteConditions.of(problems, route.getMetadata().getGeneration(), clock.instant()));
        events.conditionChanges(route, previous, conditions);
        return StatusPatches.patchIfChanged(route, new AIRouteStatus(route.getMetadata().getGeneration(), conditions),
                AIRoute::new);
    }

    private static Set<ResourceID> routesNaming(IndexerResourceCache<AIRoute> routes, Stream<String> providerKeys) {
        return providerKeys.flatMap(key -> routes.byIndex(References.ROUTES_BY_PROVIDER, key).stream())
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }
}
