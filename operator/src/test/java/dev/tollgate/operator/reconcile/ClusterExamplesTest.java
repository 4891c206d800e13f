package dev.tollgate.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.Condition;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.operator.config.SecretValues;
import dev.tollgate.operator.config.SnapshotBuilder;
import dev.tollgate.operator.config.SnapshotInputs;
import dev.tollgate.operator.examples.ReadmeApply;
import dev.tollgate.operator.local.ManifestException;
import dev.tollgate.operator.local.ManifestLoader;
import dev.tollgate.operator.webhook.AdmissionHandler;
import dev.tollgate.operator.webhook.AdmissionHandlerTest;
import dev.tollgate.operator.webhook.InjectionSettings;
import dev.tollgate.operator.webhook.NamespaceLabels;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's cluster examples applied as it says, {@code cat DIR/*.yaml | envsubst '$OPENAI_API_KEY
 * $ANTHROPIC_API_KEY' | kubectl apply -f -}, to a mock API server with the real operator running:
 * what a user then sees with {@code kubectl get}, and what the webhook does to the example's pods.
 */
class ClusterExamplesTest extends WithRunningOperator {
    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final Map<String, String> KEYS = Map.of(
            "OPENAI_API_KEY", "sk-proj-example-openai-0000",
            "ANTHROPIC_API_KEY", "sk-ant-api03-example-anthropic-0000");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void quickstartComesUpReadyAndItsAppGetsTheSidecarAndItsKey() throws Exception {
        apply("quickstart");

        awaitProvidersReady("quickstart");
        awaitRouteReady("quickstart", "chat");
        String token = awaitActiveKeyToken("quickstart", "support-bot");

        GatewayConfig config = snapshot("quickstart");
        assertThat(config.routes()).singleElement().satisfies(route -> {
            assertThat(route.models()).containsExactly("chat");
            assertThat(route.backends()).extracting(b -> b.model() + "@" + b.priority())
                    .containsExactly("gpt-4.1-mini@0", "claude-haiku-4-5@1");
        });
        assertThat(config.providers()).extracting(ProviderConfig::type).containsExactlyInAnyOrder("openai", "anthropic");

        Pod pod = injected(podOf(cluster.get(Deployment.class, "quickstart", "support-bot")));
        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("tollgate-sidecar");
        Map<String, EnvVar> env = pod.getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, Function.identity()));
        assertThat(env.get("OPENAI_BASE_URL").getValue()).isEqualTo("http://127.0.0.1:4000/v1");
        var key = env.get("OPENAI_API_KEY").getValueFrom().getSecretKeyRef();
        assertThat(key.getName() + "/" + key.getKey()).isEqualTo("support-bot-spendkey/token");
        assertThat(token).startsWith("tg_");
        // What the app set itself is kept.
        assertThat(env.get("PYTHONPATH").getValue()).isEqualTo("/tmp/deps");
    }

    @Test
    void multiTeamSharesThePlatformsProvidersOnlyWhereTheyAllowIt() throws Exception {
        apply("multi-team");

        awaitProvidersReady("ai-platform");
        awaitRouteReady("team-search", "embeddings");
        awaitRouteReady("team-search", "rewrite");
        awaitRouteReady("team-support", "chat");
        awaitActiveKeyToken("team-search", "indexer");
        awaitActiveKeyToken("team-support", "support-bot");
        awaitActiveKeyToken("team-support", "experiments");

        // team-search is not labelled for Anthropic: it gets OpenAI's key and never Anthropic's.
        assertThat(snapshot("team-search").providers()).extracting(ProviderConfig::id)
                .containsExactly("ai-platform/openai");
        assertThat(snapshot("team-support").providers()).extracting(ProviderConfig::id)
                .containsExactlyInAnyOrder("ai-platform/openai", "ai-platform/anthropic");
        // The keys stay in the platform namespace.
        assertThat(client.secrets().inNamespace("team-search").list().getItems()).extracting(s -> s.getMetadata().getName())
                .containsExactly("indexer-spendkey");
    }

    /**
     * The README's apply command for the directory (its files joined as {@code cat} joins them, the two keys
     * substituted), every object created. The
     * mock API server checks no schema, so the resources are first read strictly as local mode
     * reads them: an unknown or misspelt field fails here, as the API server would drop it.
     */
    private void apply(String example) throws IOException, ManifestException {
        new ManifestLoader(KEYS).load(EXAMPLES.resolve(example));
        ReadmeApply.Command command = ReadmeApply.commands().stream()
                .filter(c -> c.directory().equals("examples/" + example)).findFirst().orElseThrow();
        String manifests = command.stream(KEYS);
        assertThat(manifests).doesNotContain("${");
        List<HasMetadata> objects = client.load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8))).items();
        assertThat(objects).as("objects kubectl reads").hasSameSizeAs(ReadmeApply.documents(manifests));
        for (HasMetadata object : objects) {
            client.resource(typed(object)).create();
        }
    }

    /** The operator's own classes for its kinds, so the informers read what kubectl would have stored. */
    private HasMetadata typed(HasMetadata object) {
        Class<? extends HasMetadata> type = switch (object.getKind()) {
            case "ProviderSecret" -> ProviderSecret.class;
            case "AIRoute" -> AIRoute.class;
            case "SpendKey" -> SpendKey.class;
            default -> null;
        };
        return type == null ? object : client.getKubernetesSerialization().convertValue(object, type);
    }

    /** Both examples hold an OpenAI and an Anthropic ProviderSecret. */
    private void awaitProvidersReady(String namespace) {
        for (String provider : List.of("openai", "anthropic")) {
            cluster.awaitCondition(ProviderSecret.class, namespace, provider, "Ready", "True", "SecretFound",
                    p -> p.getStatus() == null ? null : p.getStatus().conditions());
        }
    }

    private void awaitRouteReady(String namespace, String name) {
        for (String type : List.of("Accepted", "ResolvedRefs")) {
            cluster.awaitCondition(AIRoute.class, namespace, name, type, "True", type,
                    r -> r.getStatus() == null ? null : r.getStatus().conditions());
        }
    }

    /** Waits for the key to be Active with its token Secret; returns the token. */
    private String awaitActiveKeyToken(String namespace, String name) {
        SpendKeyStatus status = cluster.await(SpendKey.class, namespace, name,
                k -> Optional.ofNullable(k.getStatus()).filter(s -> "Active".equals(s.state())));
        assertThat(status.conditions()).extracting(Condition::type).contains("Active");
        Secret secret = cluster.get(Secret.class, namespace, status.tokenSecret());
        return SecretValues.read(secret, "token").orElseThrow();
    }

    /** The configuration the operator hands to the sidecars of {@code namespace}, from what is stored. */
    private GatewayConfig snapshot(String namespace) {
        Namespace ns = client.namespaces().withName(namespace).get();
        var snapshot = SnapshotBuilder.build(new SnapshotInputs(namespace, ns.getMetadata().getLabels(),
                client.resources(ProviderSecret.class).inAnyNamespace().list().getItems(),
                client.resources(AIRoute.class).inAnyNamespace().list().getItems(),
                client.resources(SpendKey.class).inAnyNamespace().list().getItems(),
                client.secrets().inAnyNamespace().list().getItems(), List.of(), "1"));
        assertThat(snapshot.problems()).isEmpty();
        return snapshot.config().validate();
    }

    /** The pod a ReplicaSet of {@code deployment} creates, before admission. */
    private static Pod podOf(Deployment deployment) {
        var template = deployment.getSpec().getTemplate();
        return new PodBuilder()
                .withNewMetadataLike(template.getMetadata())
                .withGenerateName(deployment.getMetadata().getName() + "-5d8f7c9b4-")
                .withNamespace(deployment.getMetadata().getNamespace())
                .addToLabels("pod-template-hash", "5d8f7c9b4")
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    /** The pod as admitted through the webhook: an AdmissionReview like kube-apiserver's, the answer's patch applied. */
    private Pod injected(Pod pod) throws Exception {
        AdmissionHandler webhook = new AdmissionHandler(
                () -> InjectionSettings.defaults("ghcr.io/tollgate/sidecar:0.1.0",
                        "https://tollgate-operator.tollgate-system.svc:8443", "-----BEGIN CERTIFICATE-----\n")
                        .withNativeSidecars(true),
                new NamespaceLabels(client, NamespaceLabels.DEFAULT_TTL));
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c")
                .put("namespace", pod.getMetadata().getNamespace()).put("operation", "CREATE");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.set("object", JSON.valueToTree(client.getKubernetesSerialization().convertValue(pod, Map.class)));

        var answer = new AdmissionHandlerTest.Review(request.get("object"), JSON.readTree(webhook.review(review.toString())));
        assertThat(answer.response().get("allowed").asBoolean()).isTrue();
        assertThat(answer.response().has("warnings")).as("admitted without a warning").isFalse();
        return answer.patchedPod();
    }
}
