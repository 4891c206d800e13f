package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;

/** A Fabric8 mock API server in CRUD mode on 127.0.0.1, with a client; the network edge of the webhook tests. */
final class MockKubernetes implements AutoCloseable {
    final MockWebServer http = new MockWebServer();
    final KubernetesMockServer server =
            new KubernetesMockServer(new Context(), http, new HashMap<>(), new KubernetesCrudDispatcher(), false);
    final KubernetesClient client;

    MockKubernetes() {
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        client = server.createClient();
    }

    /** What {@code /version} answers, as a cluster of this version would. */
    void version(String major, String minor) {
        server.setVersionInfo(new VersionInfo.Builder().withMajor(major).withMinor(minor)
                .withGitVersion("v" + major + "." + minor.replace("+", "") + ".0").build());
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
