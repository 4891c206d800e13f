package dev.tollgate.operator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.certs.CertificateSettings;
import dev.tollgate.operator.certs.OperatorCertificates;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.control.ControlSettings;
import dev.tollgate.sidecar.wire.ControlSnapshot;
import dev.tollgate.sidecar.control.InClusterSidecar;
import dev.tollgate.sidecar.control.SnapshotFile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.prometheus.client.CollectorRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sidecar in in-cluster mode (its own code, in this JVM, with a token file, a state
 * directory and the operator's CA) configured by the control API from the mock cluster.
 */
@EnableKubernetesMockClient(crud = true)
class InClusterEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTES = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ProviderSecret
            metadata: {name: mock, namespace: team-a}
            spec: {provider: mock, mock: {reply: "configured by the operator"}}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: AIRoute
            metadata: {name: chat, namespace: team-a}
            spec:
              models: [%s]
              backends: [{providerRef: {name: mock}, model: gpt-4o-mini}]
            """;

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ControlPlane control;
    private InClusterSidecar sidecar;

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        if (control != null) {
            control.close();
        }
    }

    @Test
    void fedByTheOperatorServesFollowsChangesAndKeepsServingWhenTheOperatorIsGone() throws Exception {
        TokenReviews tokens = TokenReviews.answering(server).pod("pod-token", "team-a", "bot-7d4f9-abcde")
                .pod("rotated-token", "team-a", "bot-7d4f9-abcde");
        ControlSettings settings = startOperator(Duration.ofSeconds(1));
        Path token = settings.tokenFile();
        Path state = settings.stateDir();

        sidecar = InClusterSidecar.start(sidecarSettings(), settings);
        JsonNode ready = awaitReadyz(r -> r.path("ready").asBoolean());
        assertThat(ready.path("config").path("source").asText()).isEqualTo("operator");
        assertThat(ready.path("config").path("operatorReachable").asBoolean()).isTrue();
        long firstVersion = ready.path("config").path("version").asLong();
        assertThat(chat("chat").body()).contains("configured by the operator");
        assertThat(metrics()).contains("tollgate_control_plane_connected 1.0")
                .contains("tollgate_config_version " + (double) firstVersion);
        assertThat(state.resolve("snapshot.json")).exists();

        // The kubelet rotates the token: the next call sends the new one.
        Files.writeString(token, "rotated-token\n");

        // An AIRoute change reaches the running sidecar.
        long changedAt = System.nanoTime();
        ClusterObjects.apply(client, ROUTES.formatted("chat, summarize"));
        while (chat("summarize").statusCode() != 200 && System.nanoTime() - changedAt < 10_000_000_000L) {
            Thread.sleep(10);
        }
        long tookMs = (System.nanoTime() - changedAt) / 1_000_000;
        System.out.println("the AIRoute change was served by the sidecar " + tookMs + " ms after it was made");
        assertThat(tookMs).isLessThan(3_000);
        assertThat(chat("summarize").body()).contains("configured by the operator");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!tokens.reviewed("rotated-token") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(tokens.reviewed("rotated-token")).as("the call after the rotation sent the new token").isTrue();

        // The operator goes away: the sidecar keeps serving and says so.
        control.close();
        control = null;
        JsonNode away = awaitReadyz(r -> r.path("config").path("operatorReachable").asText().equals("false"));
        assertThat(away.path("ready").asBoolean()).isTrue();
        assertThat(away.path("config").path("lastContact").asText()).isNotBlank();
        assertThat(chat("summarize").statusCode()).isEqualTo(200);
        assertThat(metrics()).contains("tollgate_control_plane_connected 0.0");

        // A restarted sidecar, operator still away: serves from the kept snapshot.
        sidecar.close();
        sidecar = InClusterSidecar.start(sidecarSettings(), settings);
        JsonNode restarted = awaitReadyz(r -> r.path("ready").asBoolean());
        assertThat(restarted.path("config").path("source").asText()).isEqualTo("state-file");
        assertThat(restarted.path("config").path("operatorReachable").asBoolean()).isFalse();
        assertThat(chat("summarize").body()).contains("configured by the operator");
    }

    @Test
    void withoutOperatorAndWithoutKeptSnapshotItStaysNotReadyAndSaysWhy() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "pod-token\n");
        String someCa = OperatorCertificates.load(client,
                CertificateSettings.defaults("tollgate-system", "localhost")).caPem();
        // Nothing listens on port 1.
        ControlSettings settings = new ControlSettings(URI.create("https://localhost:1"), someCa, token, dir.resolve("state"),
                Duration.ofMillis(300));

        sidecar = InClusterSidecar.start(sidecarSettings(), settings);
        JsonNode waiting = awaitReadyz(r -> r.path("reason").asText().contains("no usable"));

        assertThat(waiting.path("ready").asBoolean()).isFalse();
        assertThat(readyz().statusCode()).isEqualTo(503);
        assertThat(waiting.path("reason").asText()).contains("unreachable").contains("snapshot.json");
        assertThat(readyz().body()).doesNotContain("pod-token");
    }

    @Test
    void anUnexpectedFailureWhilePollingIsRetriedAndTheSidecarRecovers() throws Exception {
        TokenReviews.answering(server).pod("pod-token", "team-a", "bot-7d4f9-abcde");
        ControlSettings settings = startOperator(Duration.ofMillis(300));
        // A token the HTTP client refuses to send (a line break inside): not an IOException.
        Files.writeString(settings.tokenFile(), "pod\ntoken\n");

        sidecar = InClusterSidecar.start(sidecarSettings("team-a"), settings);
        JsonNode failing = awaitReadyz(r -> r.path("reason").asText().contains("IllegalArgumentException"));
        assertThat(failing.path("ready").asBoolean()).isFalse();
        assertThat(failing.toString()).doesNotContain("pod\\ntoken");

        Files.writeString(settings.tokenFile(), "pod-token\n");
        JsonNode ready = awaitReadyz(r -> r.path("ready").asBoolean());
        assertThat(ready.path("config").path("source").asText()).isEqualTo("operator");
        assertThat(chat("chat").body()).contains("configured by the operator");
    }

    @Test
    void aSnapshotTheSidecarRefusesAtStartLeavesItServingTheKeptOne() throws Exception {
        // The API server puts the pod's token in team-a; the sidecar was told it runs in team-b.
        TokenReviews.answering(server).pod("pod-token", "team-a", "bot-7d4f9-abcde");
        ControlSettings settings = startOperator(Duration.ofMillis(300));
        new SnapshotFile(settings.stateDir()).write(new ControlSnapshot(5, "team-b", ConfigJson.read("""
                {"providers": [{"id": "team-b/mock", "type": "mock", "mock": {"reply": "kept from before"}}],
                 "routes": [{"name": "team-b/chat", "models": ["chat"], "backends": [{"provider": "team-b/mock"}]}]}
                """.getBytes(StandardCharsets.UTF_8))));

        sidecar = InClusterSidecar.start(sidecarSettings("team-b"), settings);
        JsonNode ready = awaitReadyz(r -> r.path("ready").asBoolean());

        assertThat(ready.path("config").path("source").asText()).isEqualTo("state-file");
        assertThat(ready.path("config").path("operatorReachable").asBoolean()).isTrue();
        assertThat(chat("chat").body()).contains("kept from before");
    }

    /** The control plane over the mock cluster with team-a's route; settings for a sidecar with a token file. */
    private ControlSettings startOperator(Duration bootstrap) throws Exception {
        ClusterObjects.apply(client, ROUTES.formatted("chat"));
        OperatorCertificates certificates = OperatorCertificates.load(client,
                CertificateSettings.defaults("tollgate-system", "localhost"));
        control = ControlPlane.start(client, new ControlApiSettings("127.0.0.1", 0, Duration.ofSeconds(5)),
                certificates.sslContext(), List.of(), new CollectorRegistry());
        Path token = Files.writeString(dir.resolve("token"), "pod-token\n");
        return new ControlSettings(URI.create("https://localhost:" + control.port()), certificates.caPem(),
                token, dir.resolve("state"), bootstrap);
    }

    private static SidecarSettings sidecarSettings() {
        return sidecarSettings("team-a");
    }

    private static SidecarSettings sidecarSettings(String namespace) {
        return SidecarSettings.defaults().withPorts(0, 0)
                .withIdentity(namespace, "bot-7d4f9-abcde", "bot", Map.of("app", "bot"));
    }

    private HttpResponse<String> chat(String model) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.sidecar().proxyPort() + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> readyz() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.sidecar().adminPort() + "/readyz"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.sidecar().adminPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The /readyz body once it satisfies {@code condition}; fails after 15 s. */
    private JsonNode awaitReadyz(Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonNode body;
        do {
            body = JSON.readTree(readyz().body());
            if (condition.test(body)) {
                return body;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/readyz never got there; last: " + body);
    }
}
