package dev.tollgate.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.lease.LeaseWriter;
import dev.tollgate.sidecar.control.CaTrust;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code tollgate operator} serves beside its reconcilers, wired as the command wires it: the
 * certificates created once into their Secret, the control API and the webhook both on them, and
 * the webhook injecting sidecars that reach this very control API.
 */
@EnableKubernetesMockClient(crud = true)
class DeliveryServersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void controlApiAndWebhookServeOnTheOperatorsOwnCertificates() throws Exception {
        int controlPort = freePort();
        int webhookPort = freePort();
        OperatorOptions options = OperatorOptions.parse(List.of("--bind", "127.0.0.1", "--control-port", String.valueOf(controlPort),
                "--webhook-port", String.valueOf(webhookPort), "--sidecar-image", "ghcr.io/tollgate/sidecar:test",
                "--sidecar-port", "4100", "--sidecar-admin-port", "9500",
                // The serving certificate names the Service; "localhost" lets the test reach it by a name it holds.
                "--service-name", "localhost"),
                Map.of("TOLLGATE_NAMESPACE", "tollgate-system"));
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReturn(201, new TokenReviewBuilder().withNewStatus().withAuthenticated(false).withError("invalid token")
                        .endStatus().build()).always();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();

        try (LeaseWriter spendKeys = new LeaseWriter(client, Clock.systemUTC());
             AutoCloseable servers = new DeliveryServers().start(options, client, new CollectorRegistry(), spendKeys)) {
            Secret tls = client.secrets().inNamespace("tollgate-system").withName("tollgate-operator-tls").get();
            String caPem = new String(Base64.getDecoder().decode(tls.getData().get("ca.crt")), StandardCharsets.UTF_8);
            HttpClient https = HttpClient.newBuilder().sslContext(CaTrust.sslContext(caPem))
                    .connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> snapshot = https.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + controlPort + "/v1/snapshot")).header("Authorization", "Bearer not-a-token")
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(snapshot.statusCode()).isEqualTo(401);
            assertThat(snapshot.body()).contains("invalid_token").doesNotContain("not-a-token");

            HttpResponse<String> review = https.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + webhookPort + "/mutate-pods")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(admissionReview())).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(review.statusCode()).isEqualTo(200);
            JsonNode response = JSON.readTree(review.body()).get("response");
            assertThat(response.get("allowed").asBoolean()).isTrue();
            String patch = new String(Base64.getDecoder().decode(response.get("patch").asText()), StandardCharsets.UTF_8);
            assertThat(patch).contains("ghcr.io/tollgate/sidecar:test")
                    .contains("https://localhost.tollgate-system.svc:" + controlPort)
                    .contains(JSON.writeValueAsString(caPem))
                    .contains("http://127.0.0.1:4100/v1").contains("\"--admin-port\",\"9500\"");
        }
    }

    @Test
    void aWrongPriceCatalogStopsTheStartBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
        Path catalog = Files.writeString(dir.resolve("prices.yaml"), "pricing:\n  - model: gpt-4o\n    input: \"2.5\"\n");
        OperatorOptions options = OperatorOptions.parse(List.of("--bind", "127.0.0.1", "--control-port", "0",
                "--webhook-port", "0", "--price-catalog", catalog.toString()), Map.of("TOLLGATE_NAMESPACE", "tollgate-system"));

        assertThatThrownBy(() -> new DeliveryServers().start(options, client, new CollectorRegistry(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("price catalog " + catalog + ": pricing[0].output: required");
        assertThat(client.secrets().inNamespace("tollgate-system").withName("tollgate-operator-tls").get()).isNull();
    }

    private static String admissionReview() throws IOException {
        try (InputStream in = DeliveryServersTest.class.getResourceAsStream("/admission/deployment-pod.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
