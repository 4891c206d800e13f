package dev.tollgate.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.ProviderSecretSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The operator process against a mock API server: lease, probes, metrics, extra servers. */
@EnableKubernetesMockClient(crud = true)
class OperatorAppTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void takesTheLeaseReconcilesServesProbesAndMetricsAndClosesCleanly() throws Exception {
        OperatorOptions options = OperatorOptions.parse(List.of("--bind", "127.0.0.1", "--health-port", "0", "--shutdown-drain", "0s"),
                Map.of("TOLLGATE_NAMESPACE", "tollgate-system", "POD_NAME", "tollgate-operator-abc12"));
        AtomicInteger extraStarted = new AtomicInteger();
        AtomicInteger extraClosed = new AtomicInteger();
        ExtraServer extra = (opts, kube, metrics, spendKeys) -> {
            extraStarted.incrementAndGet();
            return extraClosed::incrementAndGet;
        };

        allowLeases();
        OperatorApp app = OperatorApp.start(options, client, List.of(extra));
        int port = app.healthPort();
        try {
            assertThat(get(port, "/healthz")).isEqualTo("200 ok");
            assertThat(get(port, "/readyz")).isEqualTo("200 ready");
            assertThat(extraStarted).hasValue(1);

            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Lease lease = client.leases().inNamespace("tollgate-system").withName("tollgate-operator").get();
                assertThat(lease).isNotNull();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("tollgate-operator-abc12");
            });

            ProviderSecret mock = new ProviderSecret();
            mock.setMetadata(new ObjectMetaBuilder().withName("mock").withNamespace("team-a").build());
            mock.setSpec(new ProviderSecretSpec("mock", null, null, null, null, null, null, null, null, null));
            client.resource(mock).create();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    client.resources(ProviderSecret.class).inNamespace("team-a").withName("mock").get().getStatus() != null);

            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get(port, "/metrics"))
                    .contains("tollgate_operator_reconciles_total{kind=\"ProviderSecret\",result=\"success\",}")
                    .contains("tollgate_operator_reconcile_duration_seconds_count{kind=\"ProviderSecret\",}"));
            assertThat(get(port, "/nothing")).startsWith("404");
        } finally {
            app.close();
        }

        assertThat(extraClosed).hasValue(1);
        assertThatThrownBy(() -> get(port, "/healthz")).isInstanceOf(ConnectException.class);
    }

    @Test
    void notReadyUntilEveryExtraServerListensAndWhileDrainingBeforeThePortsClose() throws Exception {
        int port = freePort();
        OperatorOptions options = OperatorOptions.parse(List.of("--bind", "127.0.0.1", "--health-port", String.valueOf(port),
                "--no-leader-election", "--shutdown-drain", "2s"), Map.of());
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch listening = new CountDownLatch(1);
        AtomicInteger closed = new AtomicInteger();
        AtomicReference<String> readinessWhenClosed = new AtomicReference<>();
        ExtraServer slowToListen = (opts, kube, metrics, spendKeys) -> {
            starting.countDown();
            assertThat(listening.await(10, TimeUnit.SECONDS)).isTrue();
            return () -> {
                readinessWhenClosed.set(get(port, "/readyz"));
                closed.incrementAndGet();
            };
        };

        CompletableFuture<OperatorApp> started = CompletableFuture.supplyAsync(() -> {
            try {
                return OperatorApp.start(options, client, List.of(slowToListen));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(get(port, "/readyz")).as("informers are synced, the server is not listening yet")
                .isEqualTo("503 starting: control API and webhook not listening yet");
        listening.countDown();
        OperatorApp app = started.get(10, TimeUnit.SECONDS);
        assertThat(get(port, "/readyz")).isEqualTo("200 ready");

        CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(port, "/readyz").equals("503 shutting down"));
        assertThat(closed).as("the server still listens while the Service drains").hasValue(0);
        closing.get(10, TimeUnit.SECONDS);

        assertThat(closed).hasValue(1);
        assertThat(readinessWhenClosed).hasValue("503 shutting down");
    }

    /** What the API server tells JOSDK when it checks, before electing, that it may use Leases (the CRUD mock has no RBAC). */
    private void allowLeases() {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder()
                        .withNewSpec().withNamespace("tollgate-system").endSpec()
                        .withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "list", "watch", "create", "update", "patch").endResourceRule()
                        .endStatus().build())
                .always();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
