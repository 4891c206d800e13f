package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/** A Fabric8 mock API server in CRUD mode on 127.0.0.1, with a client; the network edge of the webhook tests. */
final class MockKubernetes implements AutoCloseable {
    final MockWebServer http = new MockWebServer();
    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    /** CRUD for objects, plus the expectation that serves {@link #version}. */
    final KubernetesMockServer server = new KubernetesMockServer(
            new Context(), http, expectations, new KubernetesMixedDispatcher(expectations), false);
    final KubernetesClient client;

    MockKubernetes() {
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        client = server.createClient();
    }

    /** What {@code /version} answers from now on, as a cluster of this version would. */
    void version(String major, String minor) {
        server.clearExpectations();
        server.expect().get().withPath("/version").andReturn(200, Map.of("major", major, "minor", minor,
                "gitVersion", "v" + major + "." + minor.replace("+", "") + ".0", "platform", "linux/amd64")).always();
    }

    /** {@code /version} fails with 503 from now on. */
    void versionUnavailable() {
        server.clearExpectations();
        server.expect().get().withPath("/version").andReturn(503, Map.of("kind", "Status", "code", 503)).always();
    }

    int requestCount() {
        return http.getRequestCount();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
