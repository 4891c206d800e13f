package dev.tollgate.operator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeyStatus;
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
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/leases} over real HTTPS, callers known by the mock API server's TokenReview answers. */
@EnableKubernetesMockClient(crud = true)
class LeaseApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    KubernetesMockServer server;
    KubernetesClient client;

    private final CollectorRegistry metrics = new CollectorRegistry();
    private ControlPlane control;
    private HttpClient https;

    @BeforeEach
    void start() {
        TokenReviews.answering(server).pod("token-a", "team-a", "bot-a-1").pod("token-a2", "team-a", "bot-a-2")
                .pod("token-b", "team-b", "bot-b-1");
        ClusterObjects.apply(client, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-a}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: SpendKey
                metadata: {name: bot, namespace: team-a}
                spec:
                  budget: {limit: "10.00", period: monthly}
                  rateLimit: {requestsPerMinute: 100}
                """);
        OperatorCertificates certificates = OperatorCertificates.load(client,
                CertificateSettings.defaults("tollgate-system", "localhost"));
        control = ControlPlane.start(client, new ControlApiSettings("127.0.0.1", 0, Duration.ofSeconds(2)), certificates.sslContext(),
                List.of(), metrics);
        https = HttpClient.newBuilder().sslContext(CaTrust.sslContext(certificates.caPem())).build();
    }

    @AfterEach
    void stop() {
        control.close();
    }

    @Test
    void aSidecarGetsItsGrantsInOrderAndTheLeaseIsRecordedForItsPod() throws Exception {
        String call = """
                {"leases": [
                  {"key": "bot", "lease": "5b0c8f3e-1", "periodStart": "2026-03-01T00:00:00Z", "sequence": 1,
                   "spentMicros": 0, "requests": 0, "inputTokens": 0, "outputTokens": 0,
                   "wantMicros": 4000000, "wantRequests": 30, "wantTokens": 0, "release": false},
                  {"key": "nope", "lease": "5b0c8f3e-2", "sequence": 1, "wantMicros": 1000000}
                ]}""";
        HttpResponse<String> answer = post("token-a", call);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode grants = JSON.readTree(answer.body()).path("leases");
        assertThat(grants).hasSize(2);
        JsonNode bot = grants.get(0);
        assertThat(bot.path("key").asText()).isEqualTo("bot");
        assertThat(bot.path("lease").asText()).isEqualTo("5b0c8f3e-1");
        assertThat(bot.path("sequence").asLong()).isEqualTo(1);
        assertThat(bot.path("grantedMicros").asLong()).isEqualTo(4_000_000);
        assertThat(bot.path("grantedRequests").asLong()).isEqualTo(30);
        assertThat(bot.path("keyRemainingMicros").asLong()).isEqualTo(6_000_000);
        assertThat(bot.path("state").asText()).isEqualTo("Active");
        assertThat(Instant.parse(bot.path("expiresAt").asText())).isAfter(Instant.now());
        assertThat(Instant.parse(bot.path("periodStart").asText())).isBefore(Instant.now());
        assertThat(bot.has("error")).isFalse();
        assertThat(grants.get(1).path("error").asText()).isEqualTo("no SpendKey 'nope' in namespace team-a");

        SpendKeyStatus status = client.resources(SpendKey.class).inNamespace("team-a").withName("bot").get().getStatus();
        assertThat(status.reserved()).isEqualTo("4.00");
        assertThat(status.leases()).singleElement().satisfies(l -> {
            assertThat(l.id()).isEqualTo("5b0c8f3e-1");
            assertThat(l.holder()).isEqualTo("bot-a-1");
        });

        HttpResponse<String> retried = post("token-a", call);
        assertThat(JSON.readTree(retried.body()).path("leases").get(0)).isEqualTo(bot);

        // Another pod of the namespace cannot report on this lease.
        JsonNode stolen = JSON.readTree(post("token-a2", call).body()).path("leases").get(0);
        assertThat(stolen.path("error").asText()).contains("another pod");
        assertThat(client.resources(SpendKey.class).inNamespace("team-a").withName("bot").get().getStatus().leases())
                .singleElement().satisfies(l -> assertThat(l.holder()).isEqualTo("bot-a-1"));
    }

    @Test
    void theKeysNamespaceIsTheCallersOwn() throws Exception {
        JsonNode grant = JSON.readTree(post("token-b", """
                {"leases": [{"key": "bot", "lease": "x-1", "sequence": 1, "wantMicros": 1000000}]}""").body())
                .path("leases").get(0);

        assertThat(grant.path("error").asText()).isEqualTo("no SpendKey 'bot' in namespace team-b");
        assertThat(grant.path("grantedMicros").asLong()).isZero();
        assertThat(client.resources(SpendKey.class).inNamespace("team-a").withName("bot").get().getStatus()).isNull();
    }

    @Test
    void aMalformedCallIsRefusedWith400AndChangesNothing() throws Exception {
        for (String body : List.of("{\"leases\": [", "[1, 2]", "{\"leases\": [null]}", "{\"leases\": [{\"sequence\": \"one\"}]}")) {
            HttpResponse<String> answer = post("token-a", body);

            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            JsonNode error = JSON.readTree(answer.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_lease_call");
            assertThat(error.path("message").asText()).isNotBlank();
        }
        assertThat(client.resources(SpendKey.class).inNamespace("team-a").withName("bot").get().getStatus()).isNull();
    }

    @Test
    void aBadTokenOrMethodIsRefused() throws Exception {
        HttpResponse<String> unauthenticated = post("not-a-token", "{\"leases\": []}");
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unauthenticated.body()).path("error").path("code").asText()).isEqualTo("invalid_token");
        assertThat(unauthenticated.body()).doesNotContain("not-a-token");
        assertThat(post("not-a-token", "{\"leases\": [").statusCode())
                .as("a body is read only for a caller the API server vouched for").isEqualTo(401);

        HttpResponse<String> get = https.send(HttpRequest.newBuilder(uri()).header("Authorization", "Bearer token-a").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void grantsAndTheKeysFiguresAppearInTheMetrics() throws Exception {
        post("token-a", """
                {"leases": [{"key": "bot", "lease": "m-1", "sequence": 1, "wantMicros": 3000000}]}""");
        post("token-a", """
                {"leases": [{"key": "bot", "lease": "m-1", "sequence": 2, "spentMicros": 1250000, "requests": 3,
                             "wantMicros": 9000000}]}""");
        post("token-a2", """
                {"leases": [{"key": "bot", "lease": "m-2", "sequence": 1, "wantMicros": 1000000}]}""");

        assertThat(sample("tollgate_leases_granted_total")).isEqualTo(2.0);
        assertThat(sample("tollgate_leases_denied_total")).isEqualTo(1.0);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sample("tollgate_spendkey_reserved_usd") != null
                && sample("tollgate_spendkey_reserved_usd") == 8.75);
        assertThat(sample("tollgate_spendkey_spent_usd")).isEqualTo(1.25);
        assertThat(sample("tollgate_spendkey_limit_usd")).isEqualTo(10.0);
        assertThat(sample("tollgate_spendkey_remaining_usd")).isEqualTo(8.75);
        assertThat(sample("tollgate_spendkey_unreconciled_usd")).isEqualTo(0.0);
    }

    private Double sample(String name) {
        return metrics.getSampleValue(name, new String[] {"namespace", "spend_key"}, new String[] {"team-a", "bot"});
    }

    private HttpResponse<String> post(String token, String body) throws Exception {
        return https.send(HttpRequest.newBuilder(uri()).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("https://localhost:" + control.port() + "/v1/leases");
    }
}
