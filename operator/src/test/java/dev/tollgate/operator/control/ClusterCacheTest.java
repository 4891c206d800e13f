package dev.tollgate.operator.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the cluster cache asks the API server for, and what it keeps. */
@EnableKubernetesMockClient(crud = true)
class ClusterCacheTest {
    KubernetesMockServer server;
    KubernetesClient client;

    /**
     * The API server applies the selector; what is ours to get right is asking with it, on the list
     * and on the watch. (The CRUD mock ignores {@code type} selectors, so what it streams back proves nothing.)
     */
    @Test
    void secretsTheOperatorNeverReadsAreAskedAwayOnTheListAndTheWatch() throws Exception {
        ClusterObjects.apply(client, """
                apiVersion: v1
                kind: Secret
                metadata: {name: openai-credentials, namespace: team-a}
                stringData: {api-key: sk-test}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: sh.helm.release.v1.shop.v3, namespace: team-a}
                type: helm.sh/release.v1
                stringData: {release: H4sIAAAAAAAA}
                """);
        answerSecretListsAsTheApiServerWould();
        SecretRequests.take(server); // the test's own

        try (ClusterCache cache = new ClusterCache(client)) {
            cache.start(ns -> { }, Duration.ofSeconds(10));

            assertThat(cache.inputs("team-a", List.of(), "v1").secrets()).extracting(s -> s.getMetadata().getName())
                    .contains("openai-credentials");
        }
        assertThat(SecretRequests.take(server)).as("the list and the watch").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(path -> assertThat(path).contains("fieldSelector=" + SecretRequests.UNREAD_TYPES));
    }

    /**
     * The CRUD mock selects by name and namespace only; the API server also by {@code type}, as here for
     * the informer's list with the operator's selector (one without it gets every Secret from the mock).
     */
    private void answerSecretListsAsTheApiServerWould() {
        Set<String> unread = Set.of(SecretRequests.UNREAD_TYPES.replace("type!=", "").split(","));
        List<Secret> kept = client.secrets().inAnyNamespace().list().getItems().stream()
                .filter(s -> !unread.contains(Objects.requireNonNullElse(s.getType(), "Opaque")))
                .toList();
        server.expect().get()
                .withPath("/api/v1/secrets?fieldSelector=" + URLEncoder.encode(SecretRequests.UNREAD_TYPES, StandardCharsets.UTF_8)
                        + "&resourceVersion=0")
                .andReturn(200, new SecretListBuilder().withNewMetadata().withResourceVersion("100").endMetadata()
                        .withItems(kept).build())
                .always();
    }
}
