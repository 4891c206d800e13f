package dev.tollgate.operator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.certs.CertificateSettings;
import dev.tollgate.operator.certs.OperatorCertificates;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.control.CaTrust;
import dev.tollgate.sidecar.control.ControlSettings;
import dev.tollgate.sidecar.control.InClusterSidecar;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.prometheus.client.CollectorRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operator replicas behind one Service, on the same cluster objects: each must serve a namespace's
 * configuration with the same version and the same bytes, whatever their clocks say, so a sidecar whose long
 * polls reach one replica, then the other, applies its configuration once.
 */
@EnableKubernetesMockClient(crud = true)
class ReplicasAgreeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPLIED = "applied configuration version";
    private static final int FAILOVERS = 4;
    private static final String OBJECTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ProviderSecret
            metadata: {name: mock, namespace: team-a}
            spec:
              provider: mock
              mock: {reply: "one configuration, one version"}
              headers: {X-Team: a, X-Cost-Center: "42", X-Env: prod, A-First: "1"}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: AIRoute
            metadata: {name: chat, namespace: team-a}
            spec:
              models: [chat]
              backends: [{providerRef: {name: mock}, model: gpt-4o-mini}]
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: AIRoute
            metadata: {name: summarize, namespace: team-a}
            spec:
              models: [summarize]
              backends: [{providerRef: {name: mock}}]
              retry: {attempts: 2, on: [timeout, server-error, rate-limited]}
            """;

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final Handler appliedLog = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getMessage() != null && record.getMessage().startsWith(APPLIED)) {
                applied.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stop() throws Exception {
        Logger.getLogger(InClusterSidecar.class.getName()).removeHandler(appliedLog);
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void replicasWithDifferentClocksServeTheSameVersionAndBytesAndASidecarMovingBetweenThemAppliesOnce() throws Exception {
        ClusterObjects.apply(client, OBJECTS);
        TokenReviews.answering(server).pod("pod-token", "team-a", "bot-7d4f9-abcde");
        OperatorCertificates certificates = OperatorCertificates.load(client, CertificateSettings.defaults("tollgate-system", "localhost"));
        // Replica B's clock runs 7 s ahead of A's: nothing a replica serves may depend on its clock.
        ControlPlane replicaA = replica(certificates, Clock.systemUTC());
        ControlPlane replicaB = replica(certificates, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(7)));

        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(CaTrust.sslContext(certificates.caPem())).build();
        byte[] fromA = snapshot(https, replicaA.port());
        byte[] fromB = snapshot(https, replicaB.port());
        long version = JSON.readTree(fromA).path("version").asLong();
        assertThat(new String(fromB)).as("replica B's snapshot").isEqualTo(new String(fromA));

        // The sidecar reaches the replicas through a Service: every new connection goes to the other replica.
        TcpRelay service = new TcpRelay(replicaA.port(), replicaB.port());
        running.add(service);
        Logger.getLogger(InClusterSidecar.class.getName()).addHandler(appliedLog);
        InClusterSidecar sidecar = InClusterSidecar.start(SidecarSettings.defaults().withPorts(0, 0)
                .withIdentity("team-a", "bot-7d4f9-abcde", "bot", Map.of("app", "bot")),
                new ControlSettings(URI.create("https://localhost:" + service.port()), certificates.caPem(),
                        Files.writeString(dir.resolve("token"), "pod-token\n"), dir.resolve("state"), Duration.ofSeconds(5)));
        running.add(sidecar);
        Awaitility.await("sidecar configured").atMost(Duration.ofSeconds(15)).until(() -> sidecar.status().ready());

        // Connections break (a node drains, a load balancer rebalances): each long poll lands on the other replica,
        // which answers at once with a version the sidecar does not have, or holds the poll and answers 304.
        for (int i = 0; i < FAILOVERS; i++) {
            int before = service.connections();
            Instant dropped = Instant.now();
            service.dropConnections();
            Awaitility.await("the sidecar polls the other replica").atMost(Duration.ofSeconds(20))
                    .until(() -> service.connections() > before && sidecar.status().lastContact().isAfter(dropped));
        }

        assertThat(service.connections()).isGreaterThan(FAILOVERS);
        assertThat(applied).as("configurations applied by the sidecar").hasSize(1);
        assertThat(applied.get(0)).startsWith(APPLIED + " " + version + " ");
        assertThat(sidecar.status().version()).isEqualTo(Long.toString(version));
    }

    private ControlPlane replica(OperatorCertificates certificates, Clock clock) {
        KubernetesClient own = server.createClient();
        running.add(own);
        ControlPlane replica = ControlPlane.start(own, new ControlApiSettings("127.0.0.1", 0, Duration.ofSeconds(1)),
                certificates.sslContext(), List.of(), new CollectorRegistry(), clock);
        running.add(replica);
        return replica;
    }

    /** {@code GET /v1/snapshot} from one replica, as the pod's sidecar asks for it. */
    private static byte[] snapshot(HttpClient https, int port) throws Exception {
        HttpResponse<byte[]> answer = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/snapshot"))
                .header("Authorization", "Bearer pod-token").timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("config").path("routes").size()).isEqualTo(2);
        return answer.body();
    }
}
