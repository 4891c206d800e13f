package dev.tollgate.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Each test gets a fresh mock API server (CRUD mode) with the operator running against it. */
@EnableKubernetesMockClient(crud = true)
abstract class WithRunningOperator {
    KubernetesClient client;
    KubernetesMockServer server;
    Cluster cluster;

    @BeforeEach
    void startOperator() throws Exception {
        cluster = new Cluster(client);
    }

    @AfterEach
    void stopOperator() {
        cluster.close();
    }
}
