package dev.tollgate.operator.webhook;

import dev.tollgate.sidecar.telemetry.TelemetryEnv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook as the API server sees it: AdmissionReview v1 JSON in (src/test/resources/admission,
 * built like kube-apiserver sends them: a controller's pod has generateName and no name yet, the
 * ServiceAccount admission plugin has already added kube-api-access), the returned JSON patch
 * applied to the original pod with zjsonpatch, and the resulting pod checked.
 */
public class AdmissionHandlerTest {
    static final String IMAGE = "ghcr.io/tollgate/sidecar:0.1.0";
    static final String CONTROL_URL = "https://tollgate-operator.tollgate-system.svc:8443";
    static final String CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUXyZ\n-----END CERTIFICATE-----\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization K8S = new KubernetesSerialization();

    private MockKubernetes kubernetes;
    private boolean nativeSidecars = true;
    private Map<String, String> telemetryEnv = Map.of();
    private AdmissionHandler handler;

    @BeforeEach
    void start() {
        kubernetes = new MockKubernetes();
        kubernetes.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .addToLabels("kubernetes.io/metadata.name", "shop").endMetadata().build()).create();
        kubernetes.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("research")
                .addToLabels("kubernetes.io/metadata.name", "research").endMetadata().build()).create();
        kubernetes.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("labs")
                .addToLabels("kubernetes.io/metadata.name", "labs").addToLabels("tollgate.dev/inject", "enabled")
                .endMetadata().build()).create();
        handler = new AdmissionHandler(
                () -> InjectionSettings.defaults(IMAGE, CONTROL_URL, CA_PEM).withNativeSidecars(nativeSidecars)
                        .withTelemetryEnv(telemetryEnv),
                new NamespaceLabels(kubernetes.client, NamespaceLabels.DEFAULT_TTL));
    }

    @AfterEach
    void stop() {
        kubernetes.close();
    }

    @Test
    void deploymentPodGetsTheNativeSidecarAsFirstInitContainer() throws Exception {
        Review review = review(fixture("deployment-pod.json"));

        assertThat(review.response().get("uid").asText()).isEqualTo("3c4f1a0e-8b7d-4f3e-9a51-2d6c9e7b1f20");
        assertThat(review.response().get("allowed").asBoolean()).isTrue();
        assertThat(review.response().get("patchType").asText()).isEqualTo("JSONPatch");
        assertThat(review.response().has("warnings")).isFalse();

        Pod pod = review.patchedPod();
        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("tollgate-sidecar", "migrate");
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("app");
        Container sidecar = pod.getSpec().getInitContainers().get(0);
        assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
        assertThat(sidecar.getImage()).isEqualTo(IMAGE);
        assertThat(sidecar.getArgs()).containsExactly("--port", "4000", "--admin-port", "9464", "--max-concurrent", "4096");
        assertThat(sidecar.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("proxy:4000", "admin:9464");
        assertProbe(sidecar.getStartupProbe(), "/readyz");
        assertProbe(sidecar.getReadinessProbe(), "/readyz");
        assertProbe(sidecar.getLivenessProbe(), "/healthz");
        assertThat(sidecar.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(sidecar.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(sidecar.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(sidecar.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(sidecar.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sidecar.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(sidecar.getResources().getRequests()).containsEntry("cpu", new Quantity("50m"))
                .containsEntry("memory", new Quantity("128Mi"));
        assertThat(sidecar.getResources().getLimits()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("192Mi"));

        Map<String, EnvVar> env = byName(sidecar.getEnv());
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        assertThat(env.get("TOLLGATE_WORKLOAD").getValue()).isEqualTo("checkout");
        assertThat(JSON.readValue(env.get("TOLLGATE_POD_LABELS").getValue(), Map.class)).isEqualTo(Map.of(
                "app", "checkout", "pod-template-hash", "7d9f8b6c5d", "tollgate.dev/inject", "true"));
        assertThat(env.get("TOLLGATE_CONTROL_URL").getValue()).isEqualTo(CONTROL_URL);
        assertThat(env.get("TOLLGATE_CONTROL_CA").getValue()).isEqualTo(CA_PEM);
        assertThat(env.get("TOLLGATE_TOKEN_FILE").getValue()).isEqualTo("/var/run/secrets/tollgate.dev/serviceaccount/token");
        assertThat(env.get("TOLLGATE_STATE_DIR").getValue()).isEqualTo("/var/run/tollgate");
        assertThat(env).as("the image carries its measured JVM flags").doesNotContainKey("JAVA_TOOL_OPTIONS");
        assertThat(env).doesNotContainKey("TOLLGATE_DEFAULT_SPEND_KEY");
        assertThat(sidecar.getVolumeMounts()).extracting(m -> m.getName() + " " + m.getMountPath() + " " + m.getReadOnly())
                .containsExactly("tollgate-token /var/run/secrets/tollgate.dev/serviceaccount true",
                        "tollgate-state /var/run/tollgate null");

        Map<String, Volume> volumes = pod.getSpec().getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, v -> v));
        assertThat(volumes).containsOnlyKeys("kube-api-access-x7k2p", "tollgate-token", "tollgate-state");
        var token = volumes.get("tollgate-token").getProjected().getSources().get(0).getServiceAccountToken();
        assertThat(token.getAudience()).isEqualTo("tollgate.dev");
        assertThat(token.getExpirationSeconds()).isEqualTo(3600L);
        assertThat(token.getPath()).isEqualTo("token");
        assertThat(volumes.get("tollgate-state").getEmptyDir().getMedium()).isEqualTo("Memory");
        assertThat(volumes.get("tollgate-state").getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("16Mi"));

        // The app and the init container after the sidecar both reach it on localhost.
        for (Container c : List.of(pod.getSpec().getContainers().get(0), pod.getSpec().getInitContainers().get(1))) {
            Map<String, EnvVar> appEnv = byName(c.getEnv());
            assertThat(appEnv.get("OPENAI_BASE_URL").getValue()).isEqualTo("http://127.0.0.1:4000/v1");
            assertThat(appEnv.get("ANTHROPIC_BASE_URL").getValue()).isEqualTo("http://127.0.0.1:4000");
            assertThat(appEnv).doesNotContainKeys("OPENAI_API_KEY", "ANTHROPIC_API_KEY");
        }
        assertThat(pod.getSpec().getContainers().get(0).getEnv().get(0).getName()).isEqualTo("LOG_LEVEL");

        assertThat(pod.getMetadata().getAnnotations()).containsEntry("tollgate.dev/injected", IMAGE);
        JsonNode status = JSON.readTree(pod.getMetadata().getAnnotations().get("tollgate.dev/status"));
        assertThat(status.get("container").asText()).isEqualTo("tollgate-sidecar");
        assertThat(status.get("mode").asText()).isEqualTo("native-sidecar");
        assertThat(JSON.convertValue(status.get("env"), Map.class)).isEqualTo(Map.of(
                "app", List.of("OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"),
                "migrate", List.of("OPENAI_BASE_URL", "ANTHROPIC_BASE_URL")));
        // Everything the pod had is still there.
        assertThat(pod.getMetadata().getGenerateName()).isEqualTo("checkout-7d9f8b6c5d-");
        assertThat(pod.getSpec().getTolerations()).hasSize(2);
    }

    @Test
    void theSidecarGetsTheTelemetryVariablesTheOperatorWasGiven() throws Exception {
        telemetryEnv = TelemetryEnv.of("http://otel-collector.observability:4318", "http/protobuf", "0.1", "off");

        Container sidecar = review(fixture("deployment-pod.json")).patchedPod().getSpec().getInitContainers().get(0);
        Map<String, EnvVar> env = byName(sidecar.getEnv());

        assertThat(env.get("OTEL_EXPORTER_OTLP_ENDPOINT").getValue()).isEqualTo("http://otel-collector.observability:4318");
        assertThat(env.get("OTEL_EXPORTER_OTLP_PROTOCOL").getValue()).isEqualTo("http/protobuf");
        assertThat(env.get("OTEL_TRACES_SAMPLER").getValue()).isEqualTo("parentbased_traceidratio");
        assertThat(env.get("OTEL_TRACES_SAMPLER_ARG").getValue()).isEqualTo("0.1");
        assertThat(env.get("OTEL_LOGS_EXPORTER").getValue()).isEqualTo("none");
    }

    @Test
    void olderClustersGetARegularContainerAndInitContainersAreLeftAlone() throws Exception {
        nativeSidecars = false;
        Pod pod = review(fixture("deployment-pod.json")).patchedPod();

        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("app", "tollgate-sidecar");
        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("migrate");
        assertThat(pod.getSpec().getInitContainers().get(0).getEnv()).isEmpty(); // runs before the sidecar exists
        assertThat(pod.getSpec().getContainers().get(1).getRestartPolicy()).isNull();
        assertThat(byName(pod.getSpec().getContainers().get(0).getEnv())).containsKeys("OPENAI_BASE_URL", "ANTHROPIC_BASE_URL");
        assertThat(JSON.readTree(pod.getMetadata().getAnnotations().get("tollgate.dev/status")).get("mode").asText())
                .isEqualTo("container");
    }

    @Test
    void aPatchedPodReviewedAgainGetsNoSecondPatch() throws Exception {
        for (boolean nativeMode : List.of(true, false)) {
            nativeSidecars = nativeMode;
            ObjectNode first = fixture("deployment-pod.json");
            Review once = review(first);
            ObjectNode again = first.deepCopy();
            again.with("request").set("object", once.patchedObject());

            Review twice = review(again);

            assertThat(twice.response().get("allowed").asBoolean()).isTrue();
            assertThat(twice.response().has("patch")).isFalse();
            assertThat(twice.response().has("warnings")).isFalse();
        }
    }

    @Test
    void anInjectedPodIsLeftAlone() throws Exception {
        Review review = review(fixture("injected-pod.json"));

        assertThat(review.response().get("allowed").asBoolean()).isTrue();
        assertThat(review.response().has("patch")).isFalse();
        assertThat(review.response().has("patchType")).isFalse();
    }

    @Test
    void whatTheContainerSetsItselfIsKept() throws Exception {
        Pod pod = review(fixture("statefulset-own-base-url.json")).patchedPod();

        Map<String, EnvVar> indexer = byName(pod.getSpec().getContainers().get(0).getEnv());
        assertThat(pod.getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName)
                .containsExactly("OPENAI_BASE_URL", "OPENAI_API_KEY", "ANTHROPIC_BASE_URL");
        assertThat(indexer.get("OPENAI_BASE_URL").getValue()).isEqualTo("https://api.openai.com/v1");
        assertThat(indexer.get("OPENAI_API_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("openai");
        assertThat(indexer.get("ANTHROPIC_BASE_URL").getValue()).isEqualTo("http://127.0.0.1:4000");
        // A container without env gets the list created.
        assertThat(byName(pod.getSpec().getContainers().get(1).getEnv())).containsOnlyKeys("OPENAI_BASE_URL", "ANTHROPIC_BASE_URL");
        // No init containers before: the list is created with the sidecar alone.
        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("tollgate-sidecar");
        assertThat(byName(pod.getSpec().getInitContainers().get(0).getEnv()).get("TOLLGATE_WORKLOAD").getValue())
                .isEqualTo("indexer");
    }

    @Test
    void aSpendKeyAnnotationHandsTheAppsTheKeysToken() throws Exception {
        Pod pod = review(fixture("job-spend-key.json")).patchedPod();

        Container report = pod.getSpec().getContainers().get(0);
        Map<String, EnvVar> env = byName(report.getEnv());
        for (String name : List.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY")) {
            assertThat(env.get(name).getValue()).isNull();
            assertThat(env.get(name).getValueFrom().getSecretKeyRef().getName()).isEqualTo("reports-spendkey");
            assertThat(env.get(name).getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        }
        assertThat(report.getEnvFrom()).hasSize(1); // envFrom cannot be read at admission; ours is added beside it
        Map<String, EnvVar> sidecarEnv = byName(pod.getSpec().getInitContainers().get(0).getEnv());
        assertThat(sidecarEnv.get("TOLLGATE_DEFAULT_SPEND_KEY").getValue()).isEqualTo("reports");
        assertThat(sidecarEnv.get("TOLLGATE_WORKLOAD").getValue()).isEqualTo("nightly-report-28990460");
        // Annotations added one by one next to the user's ('/' in the key escaped as ~1 in the patch).
        assertThat(pod.getMetadata().getAnnotations()).containsOnlyKeys("kubectl.kubernetes.io/default-container",
                "tollgate.dev/spend-key", "tollgate.dev/injected", "tollgate.dev/status");
    }

    @Test
    void annotationKeysAreEscapedInThePatch() throws Exception {
        JsonNode patch = review(fixture("job-spend-key.json")).patch();

        assertThat(patch.findValuesAsText("path")).contains(
                "/metadata/annotations/tollgate.dev~1injected", "/metadata/annotations/tollgate.dev~1status");
    }

    @Test
    void aPodWithoutTheLabelInAPlainNamespaceIsLeftAlone() throws Exception {
        Review review = review(fixture("bare-pod-without-label.json"));

        assertThat(review.response().get("allowed").asBoolean()).isTrue();
        assertThat(review.response().has("patch")).isFalse();
        assertThat(review.response().has("warnings")).isFalse();
    }

    @Test
    void aLabelledNamespaceInjectsEveryPodThatDoesNotOptOut() throws Exception {
        Pod pod = review(fixture("namespace-labelled.json")).patchedPod();
        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("tollgate-sidecar");
        assertThat(byName(pod.getSpec().getInitContainers().get(0).getEnv()).get("TOLLGATE_WORKLOAD").getValue())
                .isEqualTo("notebook");

        ObjectNode optedOut = fixture("namespace-labelled.json");
        ((ObjectNode) optedOut.at("/request/object/metadata/labels")).put("tollgate.dev/inject", "false");
        assertThat(review(optedOut).response().has("patch")).isFalse();
    }

    @Test
    void anInvalidSpendKeyNameAdmitsThePodUntouchedWithAWarning() throws Exception {
        ObjectNode review = fixture("job-spend-key.json");
        ((ObjectNode) review.at("/request/object/metadata/annotations")).put("tollgate.dev/spend-key", "Reports_Team");

        Review answer = review(review);

        assertThat(answer.response().get("allowed").asBoolean()).isTrue();
        assertThat(answer.response().has("patch")).isFalse();
        assertThat(answer.response().get("warnings").get(0).asText())
                .startsWith("tollgate: sidecar not injected:").contains("tollgate.dev/spend-key", "Reports_Team");
    }

    @Test
    void aPodOnTheHostNetworkIsAdmittedUntouchedWithAWarning() throws Exception {
        Review answer = review(fixture("daemonset-host-network.json"));

        assertUntouchedWithWarning(answer, "hostNetwork", "4000", "9464");
    }

    @Test
    void aPodWhoseContainerAlreadyUsesASidecarPortIsAdmittedUntouchedWithAWarning() throws Exception {
        Review answer = review(fixture("otel-metrics-port-9464.json"));

        assertUntouchedWithWarning(answer, "container 'pricing' already uses port 9464");
    }

    @Test
    void withoutNativeSidecarsAJobsPodIsAdmittedUntouchedWithAWarning() throws Exception {
        nativeSidecars = false;
        Review answer = review(fixture("job-spend-key.json"));

        assertUntouchedWithWarning(answer, "Job nightly-report-28990460", "keep the Job from completing");

        nativeSidecars = true;
        assertThat(review(fixture("job-spend-key.json")).response().has("patch")).as("a native sidecar ends with the Job")
                .isTrue();
    }

    private static void assertUntouchedWithWarning(Review answer, String... saying) {
        assertThat(answer.response().get("allowed").asBoolean()).isTrue();
        assertThat(answer.response().has("patch")).isFalse();
        assertThat(answer.response().get("warnings")).singleElement().satisfies(warning -> assertThat(warning.asText())
                .startsWith("tollgate: sidecar not injected:").contains(saying));
    }

    @Test
    void somethingOtherThanAPodCreateIsAdmittedWithAWarning() throws Exception {
        ObjectNode update = fixture("deployment-pod.json");
        update.with("request").put("operation", "UPDATE");
        ObjectNode notAPod = fixture("deployment-pod.json");
        notAPod.with("request").with("kind").put("kind", "ConfigMap");

        for (ObjectNode review : List.of(update, notAPod)) {
            Review answer = review(review);
            assertThat(answer.response().get("allowed").asBoolean()).isTrue();
            assertThat(answer.response().has("patch")).isFalse();
            assertThat(answer.response().get("warnings")).hasSize(1);
        }
    }

    @Test
    void anUnreachableApiServerLeavesANamespaceLabelledPodWithAWarningAndInjectsAPodLabelledItself() throws Exception {
        kubernetes.close();
        Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + freePort())
                .withRequestRetryBackoffLimit(0).withConnectionTimeout(2_000).withRequestTimeout(2_000).build();
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(config).build()) {
            handler = new AdmissionHandler(() -> InjectionSettings.defaults(IMAGE, CONTROL_URL, CA_PEM),
                    new NamespaceLabels(unreachable, NamespaceLabels.DEFAULT_TTL));

            Review answer = review(fixture("namespace-labelled.json"));

            assertThat(answer.response().get("allowed").asBoolean()).isTrue();
            assertThat(answer.response().has("patch")).isFalse();
            assertThat(answer.response().get("warnings").get(0).asText()).contains("cannot read namespace");
            assertThat(review(fixture("deployment-pod.json")).response().has("patch"))
                    .as("the pod's own label settles it without the namespace").isTrue();
        } finally {
            kubernetes = new MockKubernetes(); // for @AfterEach
        }
    }

    @Test
    void theInjectedSidecarServesAsManyRequestsAtOnceAsTheOperatorSays() throws Exception {
        InjectionSettings d = InjectionSettings.defaults(IMAGE, CONTROL_URL, CA_PEM);
        handler = new AdmissionHandler(() -> new InjectionSettings(d.image(), d.imagePullPolicy(), d.cpuRequest(),
                d.memoryRequest(), d.cpuLimit(), d.memoryLimit(), d.controlUrl(), d.controlCaPem(), d.proxyPort(),
                d.adminPort(), true, 10_000, Map.of()), new NamespaceLabels(kubernetes.client, NamespaceLabels.DEFAULT_TTL));

        Container sidecar = review(fixture("deployment-pod.json")).patchedPod().getSpec().getInitContainers().get(0);

        assertThat(sidecar.getArgs()).containsSequence("--max-concurrent", "10000");
    }

    @Test
    void aBodyThatIsNotAnAdmissionReviewIsRefused() {
        assertThatThrownBy(() -> handler.review("not json")).isInstanceOf(InvalidReviewException.class);
        assertThatThrownBy(() -> handler.review("{}")).isInstanceOf(InvalidReviewException.class);
        assertThatThrownBy(() -> handler.review("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}"))
                .isInstanceOf(InvalidReviewException.class).hasMessageContaining("request.uid");
        assertThatThrownBy(() -> handler.review("[1,2]")).isInstanceOf(InvalidReviewException.class);
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(9464);
    }

    private static Map<String, EnvVar> byName(List<EnvVar> env) {
        return env.stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    static ObjectNode fixture(String name) throws IOException {
        try (InputStream in = AdmissionHandlerTest.class.getResourceAsStream("/admission/" + name)) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private Review review(ObjectNode review) throws Exception {
        return new Review(review.at("/request/object"), JSON.readTree(handler.review(review.toString())));
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** The pod as sent and the AdmissionReview answered. */
    public record Review(JsonNode object, JsonNode answer) {
        public JsonNode response() {
            assertThat(answer.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
            assertThat(answer.get("kind").asText()).isEqualTo("AdmissionReview");
            return answer.get("response");
        }

        JsonNode patch() throws IOException {
            return JSON.readTree(Base64.getDecoder().decode(response().get("patch").asText()));
        }

        JsonNode patchedObject() throws IOException {
            return JsonPatch.apply(patch(), object);
        }

        public Pod patchedPod() throws IOException {
            return K8S.convertValue(patchedObject(), Pod.class);
        }
    }
}
