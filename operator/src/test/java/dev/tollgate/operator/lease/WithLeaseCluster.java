package dev.tollgate.operator.lease;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Each test gets a fresh mock API server (CRUD mode) and starts its {@link LeaseCluster} on it, closed after the test. */
@EnableKubernetesMockClient(crud = true)
abstract class WithLeaseCluster {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    LeaseCluster cluster;

    /** The cluster, its shared clock starting at {@code start}. */
    LeaseCluster startCluster(Instant start) {
        cluster = new LeaseCluster(server, client, dir, start);
        return cluster;
    }

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
