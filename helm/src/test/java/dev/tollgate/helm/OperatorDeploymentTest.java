package dev.tollgate.helm;

import static dev.tollgate.helm.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.operator.config.PriceCatalogFile;
import dev.tollgate.operator.runtime.OperatorOptions;
import dev.tollgate.operator.webhook.NativeSidecarMode;
import dev.tollgate.sidecar.config.ModelPrice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's Deployment, PDB and Services, with the flags read by {@code tollgate operator}'s own parser. */
class OperatorDeploymentTest {
    private static final RenderedChart DEFAULTS = RenderedChart.of("{}");
    private static final RenderedChart CUSTOM = RenderedChart.of(ExampleValues.NON_DEFAULT);

    @Test
    void defaultFlagsAreTheOnesTheOperatorAcceptsAndPointAtTheChartsOwnObjects() {
        JsonNode deployment = DEFAULTS.one("Deployment", "tollgate-operator");
        OperatorOptions options = options(deployment);

        assertThat(args(deployment).get(0)).isEqualTo("operator");
        assertThat(options.namespace()).isEqualTo(NAMESPACE);
        assertThat(options.serviceName()).isEqualTo("tollgate-operator");
        DEFAULTS.one("Service", options.serviceName());
        assertThat(options.webhookName()).isEqualTo(DEFAULTS.only("MutatingWebhookConfiguration").at("/metadata/name").asText());
        assertThat(options.tlsSecretName()).isEqualTo("tollgate-operator-tls");
        assertThat(options.sidecarImage()).isEqualTo("ghcr.io/tollgate-dev/tollgate-sidecar:0.1.0");
        // An empty quantity is "not set" for the injected container: no CPU limit.
        assertThat(options.sidecarResources()).isEqualTo(new OperatorOptions.SidecarResources("50m", "128Mi", "", "192Mi"));
        assertThat(options.sidecarPorts()).isEqualTo(new OperatorOptions.SidecarPorts(4000, 9464));
        assertThat(options.sidecarMaxConcurrent()).isEqualTo(4096);
        assertThat(options.nativeSidecars()).isEqualTo(NativeSidecarMode.AUTO);
        assertThat(options.sidecarTelemetry()).isEmpty();
        assertThat(options.leaderElection()).isTrue();
        assertThat(options.priceCatalog()).isNull();
        assertThat(List.of(options.healthPort(), options.controlPort(), options.webhookPort())).containsExactly(8080, 8443, 9443);
        assertThat(options.shutdownDrain()).isEqualTo(Duration.ofSeconds(5));
        assertThat(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong())
                .isGreaterThan(options.shutdownDrain().toSeconds());
        assertThat(container(deployment).at("/image").asText()).isEqualTo("ghcr.io/tollgate-dev/tollgate-operator:0.1.0");
    }

    @Test
    void everyValueReachesTheOperatorsFlags() {
        JsonNode deployment = CUSTOM.one("Deployment", "tollgate-operator");
        OperatorOptions options = options(deployment);

        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(container(deployment).at("/image").asText()).isEqualTo("registry.example.com/platform/tollgate-operator:1.4.2");
        assertThat(container(deployment).at("/imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(options.serviceName()).isEqualTo("gateway-control");
        assertThat(options.webhookName()).isEqualTo("gateway-injector");
        assertThat(options.tlsSecretName()).isEqualTo("gateway-tls");
        assertThat(options.sidecarImage()).isEqualTo("registry.example.com/platform/tollgate-sidecar:1.4.2");
        assertThat(options.sidecarResources()).isEqualTo(new OperatorOptions.SidecarResources("100m", "160Mi", "500m", "256Mi"));
        assertThat(options.sidecarPorts()).isEqualTo(new OperatorOptions.SidecarPorts(4100, 9500));
        assertThat(options.sidecarMaxConcurrent()).isEqualTo(10_000);
        assertThat(options.nativeSidecars()).isEqualTo(NativeSidecarMode.OFF);
        assertThat(options.sidecarTelemetry()).containsExactly(
                Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4318"),
                Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                Map.entry("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                Map.entry("OTEL_TRACES_SAMPLER_ARG", "0.1"),
                Map.entry("OTEL_LOGS_EXPORTER", "none"));
        assertThat(List.of(options.healthPort(), options.controlPort(), options.webhookPort())).containsExactly(8081, 8444, 9444);
        assertThat(options.shutdownDrain()).isEqualTo(Duration.ofSeconds(10));
        assertThat(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(45);
    }

    @Test
    void emptiedSidecarLimitsMeanNoLimitNotTheOperatorsDefault() {
        OperatorOptions options = options(RenderedChart.of("sidecar: {resources: {limits: {cpu: '', memory: ''}}}")
                .one("Deployment", "tollgate-operator"));

        assertThat(options.sidecarResources()).isEqualTo(new OperatorOptions.SidecarResources("50m", "128Mi", "", ""));
    }

    @Test
    void containerPortsAreTheFlagsPortsAndProbesAskTheHealthPort() {
        for (RenderedChart chart : List.of(DEFAULTS, CUSTOM)) {
            JsonNode deployment = chart.one("Deployment", "tollgate-operator");
            OperatorOptions options = options(deployment);
            Map<String, Integer> ports = containerPorts(container(deployment));

            assertThat(ports).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "health", options.healthPort(), "control", options.controlPort(), "webhook", options.webhookPort()));
            JsonNode c = container(deployment);
            assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
            assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
            assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(ports.get(c.at("/" + probe + "/httpGet/port").asText())).as(probe).isEqualTo(options.healthPort());
            }
        }
    }

    @Test
    void runsNonRootOnAReadOnlyRootWithNoCapabilities() {
        JsonNode pod = DEFAULTS.one("Deployment", "tollgate-operator").at("/spec/template/spec");
        JsonNode c = container(DEFAULTS.one("Deployment", "tollgate-operator"));

        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.at("/securityContext/allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(texts(c.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
        assertThat(c.at("/securityContext/capabilities/add").isMissingNode()).isTrue();
        // The JVM still needs a writable /tmp.
        assertThat(c.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
        assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();
    }

    @Test
    void resourcesAndSpreadAcrossNodes() {
        JsonNode deployment = DEFAULTS.one("Deployment", "tollgate-operator");
        JsonNode c = container(deployment);

        assertThat(c.at("/resources/requests/cpu").asText()).isEqualTo("100m");
        assertThat(c.at("/resources/requests/memory").asText()).isEqualTo("256Mi");
        assertThat(c.at("/resources/limits/memory").asText()).isEqualTo("512Mi");
        assertThat(container(CUSTOM.one("Deployment", "tollgate-operator")).at("/resources/limits/cpu").asText()).isEqualTo("1");

        JsonNode terms = deployment.at("/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution");
        assertThat(terms).hasSize(2);
        assertThat(terms.get(0).at("/podAffinityTerm/topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(terms.get(0).at("/podAffinityTerm/labelSelector/matchLabels"))
                .isEqualTo(deployment.at("/spec/selector/matchLabels"));
    }

    @Test
    void disruptionBudgetKeepsOneReplicaOfThePodsItSelects() {
        JsonNode deployment = DEFAULTS.one("Deployment", "tollgate-operator");
        JsonNode pdb = DEFAULTS.one("PodDisruptionBudget", "tollgate-operator");

        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(selects(pdb.at("/spec/selector/matchLabels"), deployment.at("/spec/template/metadata/labels"))).isTrue();
        assertThat(CUSTOM.one("PodDisruptionBudget", "tollgate-operator").at("/spec/minAvailable").asInt()).isEqualTo(2);
    }

    @Test
    void servicesRouteToTheContainerPortsOnTheSamePortNumbers() {
        for (RenderedChart chart : List.of(DEFAULTS, CUSTOM)) {
            JsonNode deployment = chart.one("Deployment", "tollgate-operator");
            OperatorOptions options = options(deployment);
            Map<String, Integer> containerPorts = containerPorts(container(deployment));
            JsonNode podLabels = deployment.at("/spec/template/metadata/labels");

            JsonNode api = chart.one("Service", options.serviceName());
            assertThat(selects(api.at("/spec/selector"), podLabels)).isTrue();
            // Sidecars dial https://<service>.<namespace>.svc:<control port>; the webhook names its port.
            assertThat(servicePorts(api, containerPorts)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    options.controlPort(), options.controlPort(), options.webhookPort(), options.webhookPort()));

            JsonNode metrics = chart.one("Service", "tollgate-operator-metrics");
            assertThat(selects(metrics.at("/spec/selector"), podLabels)).isTrue();
            assertThat(servicePorts(metrics, containerPorts)).containsExactlyEntriesOf(Map.of(options.healthPort(), options.healthPort()));
        }
    }

    @Test
    void priceCatalogValuesReachTheOperatorAsAFileItReads(@TempDir Path dir) throws IOException {
        JsonNode deployment = CUSTOM.one("Deployment", "tollgate-operator");
        OperatorOptions options = options(deployment);
        JsonNode configMap = CUSTOM.one("ConfigMap", "tollgate-prices");
        JsonNode mount = find(container(deployment).at("/volumeMounts"), "name", "prices");
        JsonNode volume = find(deployment.at("/spec/template/spec/volumes"), "name", "prices");

        assertThat(volume.at("/configMap/name").asText()).isEqualTo("tollgate-prices");
        assertThat(options.priceCatalog()).isEqualTo(Path.of(mount.at("/mountPath").asText(), "prices.yaml"));
        Path file = Files.writeString(dir.resolve("prices.yaml"), configMap.at("/data/prices.yaml").asText());
        assertThat(PriceCatalogFile.read(file)).containsExactly(
                new ModelPrice("gpt-4o-mini", 150_000, 75_000L, null, 600_000, null),
                new ModelPrice("claude-sonnet-4-5", 3_000_000, null, 3_750_000L, 15_000_000, null));
        // A changed catalog must restart the pods: the operator reads it once.
        assertThat(deployment.at("/spec/template/metadata/annotations/checksum~1prices").asText())
                .isNotEqualTo(DEFAULTS.one("Deployment", "tollgate-operator")
                        .at("/spec/template/metadata/annotations/checksum~1prices").asText());
        assertThat(DEFAULTS.all("ConfigMap")).isEmpty();
    }

    static OperatorOptions options(JsonNode deployment) {
        List<String> args = args(deployment);
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : container(deployment).path("env")) {
            if (e.has("value")) {
                env.put(e.get("name").asText(), e.get("value").asText());
            }
        }
        return OperatorOptions.parse(args.subList(1, args.size()), env);
    }

    static List<String> args(JsonNode deployment) {
        return texts(container(deployment).at("/args"));
    }

    static JsonNode container(JsonNode deployment) {
        JsonNode containers = deployment.at("/spec/template/spec/containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, Integer> containerPorts(JsonNode container) {
        Map<String, Integer> ports = new HashMap<>();
        container.path("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
        return ports;
    }

    /** Service port → the container port its targetPort (a name) resolves to. */
    private static Map<Integer, Integer> servicePorts(JsonNode service, Map<String, Integer> containerPorts) {
        Map<Integer, Integer> ports = new HashMap<>();
        service.at("/spec/ports").forEach(p -> ports.put(p.get("port").asInt(), containerPorts.get(p.get("targetPort").asText())));
        return ports;
    }

    static boolean selects(JsonNode selector, JsonNode labels) {
        List<String> mismatches = new ArrayList<>();
        selector.fields().forEachRemaining(e -> {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                mismatches.add(e.getKey());
            }
        });
        return !selector.isEmpty() && mismatches.isEmpty();
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new AssertionError("no item with " + field + "=" + value + " in " + array);
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
