package dev.tollgate.helm;

import static dev.tollgate.helm.OperatorDeploymentTest.texts;
import static dev.tollgate.helm.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code helm test} Pod. {@code helm template} leaves hooks out, so a copy of the chart renders
 * the hook's own named template once more as a plain manifest, with the hook annotation renamed.
 */
class HelmTestHookTest {

    @Test
    void theHookIsTheNamedTemplateTheTestRenders() throws IOException {
        assertThat(Files.readString(ChartFiles.CHART.resolve("templates/tests/test-operator-ready.yaml")).strip())
                .isEqualTo("{{ include \"tollgate.testOperatorReadyPod\" . }}");
    }

    @Test
    void asksTheOperatorsReadyzThroughTheMetricsService(@TempDir Path dir) throws IOException {
        Path chart = ChartCopy.of(dir);
        ChartCopy.put(chart, "templates/zz-inspect-test-hook.yaml",
                "{{ include \"tollgate.testOperatorReadyPod\" . | replace \"helm.sh/hook:\" \"inspected.helm.sh/hook:\" }}\n");
        RenderedChart rendered = RenderedChart.of(chart, "operator: {ports: {health: 8081}}");

        JsonNode pod = rendered.one("Pod", "tollgate-test-operator-ready");
        assertThat(pod.at("/metadata/annotations").path("inspected.helm.sh/hook").asText()).isEqualTo("test");
        assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
        JsonNode container = pod.at("/spec/containers/0");
        assertThat(container.path("image").asText()).isEqualTo("docker.io/curlimages/curl:8.11.1");
        assertThat(texts(container.path("command"))).containsExactly("curl");
        JsonNode metrics = rendered.one("Service", "tollgate-operator-metrics");
        assertThat(metrics.at("/spec/ports/0/port").asInt()).isEqualTo(8081);
        assertThat(texts(container.path("args"))).contains("--fail")
                .last().isEqualTo("http://tollgate-operator-metrics." + NAMESPACE + ".svc:8081/readyz");
        assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    }
}
