package dev.tollgate.operator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.certs.CertificateSettings;
import dev.tollgate.operator.certs.OperatorCertificates;
import dev.tollgate.sidecar.control.CaTrust;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.prometheus.client.CollectorRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control API over real HTTPS, with the API server's TokenReview answers from the mock. */
@EnableKubernetesMockClient(crud = true)
class ControlApiTest {
    private static final String OPENAI_KEY = "sk-team-a-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONG_POLL = Duration.ofSeconds(2);

    KubernetesMockServer server;
    KubernetesClient client;

    private final CollectorRegistry metrics = new CollectorRegistry();
    private TokenReviews tokens;
    private ControlPlane control;
    private HttpClient https;

    @BeforeEach
    void start() {
        tokens = TokenReviews.answering(server).pod("token-a", "team-a", "bot-a-1").pod("token-b", "team-b", "bot-b-1")
                .podWithoutAudience("token-no-audience", "team-a", "bot-a-2");
        ClusterObjects.apply(client, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-a}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-b}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: openai-credentials, namespace: team-a}
                stringData: {api-key: %s}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: openai, namespace: team-a}
                spec: {provider: openai, secretRef: {name: openai-credentials, key: api-key}}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: chat, namespace: team-a}
                spec:
                  models: [chat]
                  backends: [{providerRef: {name: openai}, model: gpt-4o-mini}]
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: mock, namespace: team-b}
                spec: {provider: mock}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: chat, namespace: team-b}
                spec:
                  models: [chat]
                  backends:
                  - {providerRef: {name: openai, namespace: team-a}, model: gpt-4o-mini}
                  - {providerRef: {name: mock}, model: gpt-4o-mini, priority: 1}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: ai-platform}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: shared-openai-credentials, namespace: ai-platform}
                stringData: {api-key: sk-shared-old-key}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: shared-openai, namespace: ai-platform}
                spec: {provider: openai, secretRef: {name: shared-openai-credentials, key: api-key}, allowedNamespaces: [team-b]}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: gpt, namespace: team-b}
                spec:
                  models: [gpt]
                  backends: [{providerRef: {name: shared-openai, namespace: ai-platform}, model: gpt-4o}]
                """.formatted(OPENAI_KEY));
        // "localhost": the name the test reaches the server by must be in the serving certificate.
        OperatorCertificates certificates = OperatorCertificates.load(client,
                CertificateSettings.defaults("tollgate-system", "localhost"));
        control = ControlPlane.start(client, new ControlApiSettings("127.0.0.1", 0, LONG_POLL), certificates.sslContext(), List.of(),
                metrics);
        https = HttpClient.newBuilder().sslContext(CaTrust.sslContext(certificates.caPem())).build();
    }

    @AfterEach
    void stop() {
        control.close();
    }

    @Test
    void aValidTokenGetsItsNamespaceSnapshotWithTheProviderKey() throws Exception {
        HttpResponse<String> answer = snapshot("token-a", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("namespace").asText()).isEqualTo("team-a");
        assertThat(body.path("version").isIntegralNumber()).isTrue();
        assertThat(body.path("config").path("version").asText()).isEqualTo(body.path("version").asText());
        assertThat(body.path("config").path("routes").findValuesAsText("name")).containsExactly("team-a/chat");
        JsonNode provider = body.path("config").path("providers").get(0);
        assertThat(provider.path("id").asText()).isEqualTo("team-a/openai");
        assertThat(answer.body()).contains(OPENAI_KEY);
    }

    @Test
    void anInvalidOrMissingTokenIsRefusedWith401() throws Exception {
        for (String token : new String[] {"not-a-token", null}) {
            HttpResponse<String> answer = snapshot(token, null);

            assertThat(answer.statusCode()).isEqualTo(401);
            JsonNode error = JSON.readTree(answer.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("authentication_error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_token");
            assertThat(error.path("message").asText()).isNotBlank().doesNotContain("not-a-token");
            assertThat(answer.body()).doesNotContain(OPENAI_KEY);
        }
        assertThat(awaitMetric("tollgate_control_api_responses_total", "401", 2.0)).isEqualTo(2.0);
    }

    @Test
    void aTokenTheApiServerAcceptsWithoutConfirmingTheAudienceIsRefused() throws Exception {
        HttpResponse<String> answer = snapshot("token-no-audience", null);

        assertThat(tokens.reviewed("token-no-audience")).isTrue();
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(answer.body()).path("error").path("code").asText()).isEqualTo("invalid_token");
        assertThat(answer.body()).doesNotContain(OPENAI_KEY);
    }

    @Test
    void aTokenOfAnotherNamespaceGetsThatNamespaceOnlyAndNoKeyItMayNotUse() throws Exception {
        // The namespace comes from the token; a query naming another one changes nothing.
        HttpResponse<String> answer = get("/v1/snapshot?namespace=team-a", "token-b");

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("namespace").asText()).isEqualTo("team-b");
        assertThat(body.path("config").path("routes").findValuesAsText("name")).containsExactlyInAnyOrder("team-b/chat", "team-b/gpt");
        assertThat(body.path("config").path("providers").findValuesAsText("id"))
                .containsExactlyInAnyOrder("team-b/mock", "ai-platform/shared-openai");
        JsonNode chat = body.path("config").path("routes").findParents("name").stream()
                .filter(r -> r.path("name").asText().equals("team-b/chat")).findFirst().orElseThrow();
        assertThat(chat.path("backends").findValuesAsText("provider")).containsExactly("team-b/mock");
        assertThat(answer.body()).doesNotContain(OPENAI_KEY).doesNotContain("team-a/openai");
    }

    @Test
    void aLongPollReturnsAsSoonAsTheNamespaceChanges() throws Exception {
        long first = JSON.readTree(snapshot("token-a", null).body()).path("version").asLong();
        CompletableFuture<HttpResponse<String>> waiting = https.sendAsync(request("/v1/snapshot?version=" + first, "token-a"),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(waiting).as("nothing changed yet: the call waits").isNotDone();

        long changedAt = System.nanoTime();
        ClusterObjects.apply(client, """
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: summarize, namespace: team-a}
                spec:
                  models: [summarize]
                  backends: [{providerRef: {name: openai}, model: gpt-4o-mini}]
                """);
        HttpResponse<String> answer = waiting.get(LONG_POLL.toMillis(), TimeUnit.MILLISECONDS);
        long tookMs = (System.nanoTime() - changedAt) / 1_000_000;
        System.out.println("long poll answered " + tookMs + " ms after the AIRoute was created");

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("version").asLong()).as("a digest of the new content").isNotEqualTo(first);
        assertThat(body.path("config").path("routes").findValuesAsText("name")).containsExactlyInAnyOrder("team-a/chat", "team-a/summarize");
        assertThat(tokens.reviews()).as("the second call used the cached review").isEqualTo(1);
    }

    @Test
    void rotatingASharedProviderKeyReachesTheNamespacesThatUseIt() throws Exception {
        // A ProviderSecret of the platform team's namespace, shared with team-b (see start()).
        HttpResponse<String> before = snapshot("token-b", null);
        assertThat(before.body()).contains("sk-shared-old-key");
        long version = JSON.readTree(before.body()).path("version").asLong();
        CompletableFuture<HttpResponse<String>> waiting = https.sendAsync(request("/v1/snapshot?version=" + version, "token-b"),
                HttpResponse.BodyHandlers.ofString());

        ClusterObjects.apply(client, """
                apiVersion: v1
                kind: Secret
                metadata: {name: shared-openai-credentials, namespace: ai-platform}
                stringData: {api-key: sk-shared-new-key}
                """);
        HttpResponse<String> after = waiting.get(LONG_POLL.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("sk-shared-new-key").doesNotContain("sk-shared-old-key");
        assertThat(snapshot("token-a", null).body()).as("team-a may not use it").doesNotContain("sk-shared-");
    }

    @Test
    void aLongPollWithoutChangeAnswers304AfterTheTimeout() throws Exception {
        long current = JSON.readTree(snapshot("token-b", null).body()).path("version").asLong();
        long started = System.nanoTime();

        HttpResponse<String> answer = snapshot("token-b", current);

        assertThat(answer.statusCode()).isEqualTo(304);
        assertThat(answer.body()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it waited").isGreaterThan(LONG_POLL.dividedBy(2));
        assertThat(snapshot("token-b", current - 1).statusCode()).as("a different version is answered at once").isEqualTo(200);
        assertThat(awaitMetric("tollgate_control_api_responses_total", "304", 1.0)).isEqualTo(1.0);
        assertThat(awaitMetric("tollgate_control_api_responses_total", "200", 2.0)).isEqualTo(2.0);
        assertThat(metrics.getSampleValue("tollgate_control_api_waiting")).isZero();
        assertThat(metrics.getSampleValue("tollgate_snapshot_versions_total", new String[] {"namespace"}, new String[] {"team-b"}))
                .isEqualTo(1.0);
    }

    @Test
    void aVersionThatIsNotANumberIsABadRequest() throws Exception {
        HttpResponse<String> answer = get("/v1/snapshot?version=latest", "token-a");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("error").path("code").asText()).isEqualTo("invalid_version");
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
    }

    /** The counter's value once it reached {@code expected} (answers are counted as the exchange completes), or after 5 s. */
    private double awaitMetric(String name, String code, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        Double value;
        do {
            value = metrics.getSampleValue(name, new String[] {"code"}, new String[] {code});
            if (value != null && value >= expected) {
                return value;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return value == null ? 0 : value;
    }

    private HttpResponse<String> snapshot(String token, Long version) throws Exception {
        return get("/v1/snapshot" + (version == null ? "" : "?version=" + version), token);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return https.send(request(path, token), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + control.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }
}
