package dev.tollgate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTPS endpoint the API server calls, with the committed test certificates (see admission/tls/README.md). */
class WebhookServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicReference<SSLContext> serving = new AtomicReference<>();
    private MockKubernetes kubernetes;
    private WebhookServer server;

    @BeforeEach
    void start() throws Exception {
        kubernetes = new MockKubernetes();
        kubernetes.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
                .create();
        serving.set(TestTls.serverContext("first"));
        AdmissionHandler handler = new AdmissionHandler(
                () -> InjectionSettings.defaults(AdmissionHandlerTest.IMAGE, AdmissionHandlerTest.CONTROL_URL,
                        AdmissionHandlerTest.CA_PEM).withNativeSidecars(true),
                new NamespaceLabels(kubernetes.client, NamespaceLabels.DEFAULT_TTL));
        server = WebhookServer.start("127.0.0.1", 0, serving::get, handler);
    }

    @AfterEach
    void stop() {
        server.close();
        kubernetes.close();
    }

    @Test
    void answersAnAdmissionReviewOverHttps() throws Exception {
        String review = AdmissionHandlerTest.fixture("deployment-pod.json").toString();

        HttpResponse<String> response = post(review);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.at("/response/uid").asText()).isEqualTo("3c4f1a0e-8b7d-4f3e-9a51-2d6c9e7b1f20");
        assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
        assertThat(answer.at("/response/patchType").asText()).isEqualTo("JSONPatch");
        assertThat(answer.at("/response/patch").asText()).isNotEmpty();
    }

    @Test
    void aBodyThatIsNotAReviewGets400WithAKubernetesStatus() throws Exception {
        HttpResponse<String> response = post("{\"hello\":\"world\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode status = JSON.readTree(response.body());
        assertThat(status.get("kind").asText()).isEqualTo("Status");
        assertThat(status.get("code").asInt()).isEqualTo(400);
        assertThat(status.get("message").asText()).contains("AdmissionReview");
    }

    @Test
    void aBodyLargerThanAnyReviewIsNotRead() throws Exception {
        String huge = "{\"pad\":\"" + "x".repeat(WebhookServer.MAX_BODY_BYTES) + "\"}";

        // Undertow cuts the connection once the body passes the limit; a 413 gets out only if the
        // client was still listening. Read, the body would have been answered 400 (not a review).
        try {
            HttpResponse<String> response = post(huge);
            assertThat(response.statusCode()).isEqualTo(413);
        } catch (IOException cut) {
            assertThat(cut).isNotNull();
        }
        assertThat(post("{}").statusCode()).isEqualTo(400); // and the server still serves
    }

    @Test
    void healthz() throws Exception {
        HttpResponse<String> response = TestTls.client().send(
                HttpRequest.newBuilder(uri("/healthz")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void aRotatedCertificateServesTheNextConnection() throws Exception {
        Certificate first = TestTls.keyStore("first").getCertificate("webhook");
        Certificate second = TestTls.keyStore("second").getCertificate("webhook");
        assertThat(peerCertificate()).isEqualTo(first);

        serving.set(TestTls.serverContext("second"));

        assertThat(peerCertificate()).isEqualTo(second);
    }

    private Certificate peerCertificate() throws Exception {
        HttpResponse<String> response = TestTls.client().send(  // a new client: a new connection, a new handshake
                HttpRequest.newBuilder(uri("/healthz")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private HttpResponse<String> post(String body) throws Exception {
        return TestTls.postJson(uri(WebhookServer.MUTATE_PATH), body);
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }
}
