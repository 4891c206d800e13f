package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.AIRouteSpec;
import dev.tollgate.operator.api.BackendSpec;
import dev.tollgate.operator.api.Condition;
import dev.tollgate.operator.api.ProviderRef;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.ProviderSecretSpec;
import dev.tollgate.operator.api.SecretKeyRef;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeySpec;
import dev.tollgate.operator.runtime.OperatorApp;
import dev.tollgate.operator.runtime.OperatorOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * A Fabric8 mock API server (CRUD mode) with the real operator running against it, and the
 * objects the tests create there.
 */
final class Cluster implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(10);

    final KubernetesClient client;
    private final OperatorApp operator;

    Cluster(KubernetesClient client) throws Exception {
        this.client = client;
        this.operator = OperatorApp.start(OperatorOptions.parse(
                List.of("--bind", "127.0.0.1", "--health-port", "0", "--no-leader-election", "--shutdown-drain", "0s"), Map.of()), client, List.of());
    }

    @Override
    public void close() {
        operator.close();
    }

    <T extends HasMetadata> T create(T object) {
        return client.resource(object).create();
    }

    Secret secret(String namespace, String name, Map<String, String> values) {
        SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata();
        values.forEach((k, v) -> secret.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return secret.build();
    }

    void namespace(String name, Map<String, String> labels) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .createOr(existing -> existing.update());
    }

    static ProviderSecret provider(String namespace, String name, ProviderSecretSpec spec) {
        ProviderSecret provider = new ProviderSecret();
        provider.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        provider.setSpec(spec);
        return provider;
    }

    static ProviderSecretSpec openai(String secretName) {
        return new ProviderSecretSpec("openai", null, new SecretKeyRef(secretName, null), null, null, null, null, null, null,
                null);
    }

    static AIRoute route(String namespace, String name, List<String> models, ProviderRef... providers) {
        AIRoute route = new AIRoute();
        route.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        route.setSpec(new AIRouteSpec(models, null,
                Arrays.stream(providers).map(p -> new BackendSpec(p, null, null, null)).toList(),
                null, null, null, false, null));
        return route;
    }

    static SpendKey spendKey(String namespace, String name, SpendKeySpec spec) {
        SpendKey key = new SpendKey();
        key.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        key.setSpec(spec);
        return key;
    }

    <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        return client.resources(type).inNamespace(namespace).withName(name).get();
    }

    /** Waits until the object exists and {@code check} finds what it looks for; returns that. */
    <T extends HasMetadata, R> R await(Class<T> type, String namespace, String name, Function<T, Optional<R>> check) {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> Optional.ofNullable(get(type, namespace, name)).flatMap(check), Optional::isPresent)
                .orElseThrow();
    }

    /** Waits for the condition {@code type} to have {@code status} and {@code reason}; returns it. */
    <T extends HasMetadata> Condition awaitCondition(Class<T> type, String namespace, String name, String conditionType,
            String status, String reason, Function<T, List<Condition>> conditions) {
        return await(type, namespace, name, object -> Optional.ofNullable(conditions.apply(object))
                .flatMap(list -> Conditions.find(list, conditionType))
                .filter(c -> c.status().equals(status) && c.reason().equals(reason)));
    }

    /** Events about {@code name} in {@code namespace}, as {@code kubectl events --for} lists them. */
    List<Event> events(String namespace, String name) {
        return client.events().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getRegarding() != null && name.equals(e.getRegarding().getName()))
                .toList();
    }

    void awaitEvent(String namespace, String name, String type, String reason) {
        Awaitility.await().atMost(PATIENCE).until(() -> events(namespace, name).stream()
                .anyMatch(e -> e.getType().equals(type) && e.getReason().equals(reason)));
    }
}
