package dev.tollgate.helm;

import static dev.tollgate.helm.OperatorDeploymentTest.selects;
import static dev.tollgate.helm.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.operator.webhook.InjectionSettings;
import dev.tollgate.operator.webhook.JsonPatchOperation;
import dev.tollgate.operator.webhook.SidecarInjection;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServiceMonitor, PodMonitor, PrometheusRule and Grafana dashboards: off by default, right when on. */
class MonitoringTest {
    private static final String ALL_ON = """
            monitoring:
              serviceMonitor: {enabled: true, labels: {release: kube-prometheus-stack}}
              podMonitor: {enabled: true}
              prometheusRule: {enabled: true}
              grafanaDashboards: {enabled: true}
            """;

    @Test
    void nothingForThePrometheusOperatorOrGrafanaUnlessAskedFor() {
        RenderedChart chart = RenderedChart.of("{}");
        for (String kind : List.of("ServiceMonitor", "PodMonitor", "PrometheusRule", "ConfigMap")) {
            assertThat(chart.all(kind)).as(kind).isEmpty();
        }
    }

    @Test
    void serviceMonitorScrapesTheOperatorsMetricsPort() {
        RenderedChart chart = RenderedChart.of(ALL_ON);
        JsonNode monitor = chart.only("ServiceMonitor");
        JsonNode metrics = chart.one("Service", "tollgate-operator-metrics");

        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(selects(monitor.at("/spec/selector/matchLabels"), metrics.at("/metadata/labels"))).isTrue();
        assertThat(selects(monitor.at("/spec/selector/matchLabels"), chart.one("Service", "tollgate-operator").at("/metadata/labels")))
                .as("not the HTTPS Service").isFalse();
        assertThat(monitor.at("/spec/endpoints")).hasSize(1);
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo(metrics.at("/spec/ports/0/name").asText());
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        assertThat(monitor.at("/spec/endpoints/0/honorLabels").asBoolean())
                .as("a SpendKey's namespace label stays namespace, not exported_namespace").isTrue();
    }

    @Test
    void podMonitorNamesEachSidecarsWorkloadFromItsOwner() {
        JsonNode relabelings = RenderedChart.of(ALL_ON).only("PodMonitor").at("/spec/podMetricsEndpoints/0/relabelings");

        assertThat(workload(relabelings, "ReplicaSet;support-bot-7d4f9c8b6")).isEqualTo("support-bot");
        assertThat(workload(relabelings, "StatefulSet;ledger")).isEqualTo("ledger");
        assertThat(workload(relabelings, "Job;nightly-report-28911")).isEqualTo("nightly-report-28911");
        assertThat(workload(relabelings, ";")).isNull();
    }

    /** Applies the rules writing {@code workload} as Prometheus does (a fully anchored regex, $N replacements). */
    private static String workload(JsonNode relabelings, String kindAndName) {
        String workload = null;
        for (JsonNode rule : relabelings) {
            if (!rule.path("targetLabel").asText().equals("workload")) {
                continue;
            }
            Matcher matcher = Pattern.compile(rule.path("regex").asText()).matcher(kindAndName);
            if (matcher.matches()) {
                workload = matcher.replaceFirst(rule.path("replacement").asText());
            }
        }
        return workload;
    }

    @Test
    void podMonitorScrapesTheContainerAndPortTheWebhookInjects() {
        JsonNode sidecar = injectedSidecar();
        JsonNode monitor = RenderedChart.of(ALL_ON).only("PodMonitor");
        JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");

        assertThat(monitor.at("/spec/namespaceSelector/any").asBoolean()).isTrue();
        String port = endpoint.path("port").asText();
        JsonNode injectedPort = OperatorDeploymentTest.find(sidecar.path("ports"), "name", port);
        assertThat(injectedPort.path("containerPort").asInt()).isEqualTo(InjectionSettings.DEFAULT_ADMIN_PORT);
        assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
        JsonNode keep = endpoint.at("/relabelings/0");
        assertThat(keep.path("action").asText()).isEqualTo("keep");
        assertThat(OperatorDeploymentTest.texts(keep.path("sourceLabels"))).containsExactly("__meta_kubernetes_pod_container_name");
        assertThat(keep.path("regex").asText()).isEqualTo(sidecar.path("name").asText());
    }

    @Test
    void oneDashboardConfigMapPerDashboardFileInTheChart() throws IOException {
        List<JsonNode> configMaps = RenderedChart.of(ALL_ON).all("ConfigMap");
        assertThat(configMaps).hasSize(files(ChartFiles.CHART.resolve("dashboards"), ".json"));
        for (JsonNode configMap : configMaps) {
            assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        }
    }

    @Test
    void dashboardLabelsAreWhateverGrafanasSidecarLooksFor() {
        // A Grafana that finds dashboards by another label, or by folder annotation, drops the default one.
        List<JsonNode> configMaps = RenderedChart.of("""
                monitoring:
                  grafanaDashboards: {enabled: true, labels: {grafana_dashboard: null}}
                """).all("ConfigMap");

        assertThat(configMaps).isNotEmpty();
        for (JsonNode configMap : configMaps) {
            assertThat(configMap.at("/metadata/labels").has("grafana_dashboard")).isFalse();
            assertThat(configMap.at("/metadata/labels/app.kubernetes.io~1part-of").asText()).isEqualTo("tollgate");
        }
    }

    @Test
    void dashboardsAndAlertsComeFromTheChartsFilesAsTheyAre(@TempDir Path dir) throws IOException {
        Path chart = ChartCopy.of(dir);
        String dashboard = "{\"title\": \"Tollgate fixture\", \"templating\": {\"list\": [{\"name\": \"datasource\", \"type\": \"datasource\"}]}}\n";
        ChartCopy.put(chart, "dashboards/zz_fixture_cost.json", dashboard);
        String alerts = """
                groups:
                  - name: tollgate-fixture
                    rules:
                      - alert: TollgateFixtureBudgetExhausted
                        expr: tollgate_spendkey_remaining_usd <= 0
                        for: 5m
                        labels: {severity: critical}
                        annotations:
                          summary: 'SpendKey {{ $labels.spend_key }} has no budget left'
                """;
        ChartCopy.put(chart, "alerts/zz_fixture.yaml", alerts);

        RenderedChart rendered = RenderedChart.of(chart, ALL_ON.replace("grafanaDashboards: {enabled: true}",
                "grafanaDashboards: {enabled: true, namespace: grafana}"));

        JsonNode configMap = rendered.one("ConfigMap", "tollgate-dashboard-zz-fixture-cost");
        assertThat(configMap.at("/metadata/namespace").asText()).isEqualTo("grafana");
        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(configMap.at("/data/zz_fixture_cost.json").asText()).isEqualTo(dashboard);

        JsonNode groups = rendered.only("PrometheusRule").at("/spec/groups");
        assertThat(rendered.only("PrometheusRule").at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(groups).contains(RenderedChart.yaml(alerts).path("groups").get(0));
        assertThat(groups).hasSize(groupCount(chart.resolve("alerts")));
    }

    @Test
    void anAlertFileWithoutGroupsIsAClearError(@TempDir Path dir) throws IOException {
        Path chart = ChartCopy.of(dir);
        ChartCopy.put(chart, "alerts/zz_wrong.yaml", "- alert: NotARuleFile\n  expr: up == 0\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RenderedChart.of(chart, ALL_ON))
                .hasMessageContaining("alerts/zz_wrong.yaml must be a Prometheus rule file with a groups: list at the top");
    }

    /** The sidecar container the webhook really injects into a labelled pod. */
    private static JsonNode injectedSidecar() {
        Pod pod = new PodBuilder().withNewMetadata().withName("app").withNamespace("shop")
                .addToLabels(SidecarInjection.INJECT_LABEL, "true").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec().build();
        InjectionSettings settings = InjectionSettings.defaults("sidecar:1", "https://tollgate-operator.tollgate-system.svc:8443",
                "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        try {
            return SidecarInjection.patch(pod, Map.of(), settings).stream().map(JsonPatchOperation::value)
                    .filter(v -> v != null && SidecarInjection.CONTAINER_NAME.equals(v.path("name").asText()))
                    .findFirst().orElseThrow();
        } catch (Exception e) {
            throw new AssertionError("the webhook refused a plain labelled pod", e);
        }
    }

    private static int files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }

    private static int groupCount(Path alerts) throws IOException {
        int count = 0;
        try (Stream<Path> files = Files.list(alerts)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                count += RenderedChart.yaml(Files.readString(file)).path("groups").size();
            }
        }
        return count;
    }
}
