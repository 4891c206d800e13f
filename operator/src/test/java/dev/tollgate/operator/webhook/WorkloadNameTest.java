package dev.tollgate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class WorkloadNameTest {

    @Test
    void aDeploymentsPodIsNamedAfterTheDeployment() {
        assertThat(WorkloadName.of(owned("ReplicaSet", "checkout-api-7d9f8b6c5d", "7d9f8b6c5d"))).isEqualTo("checkout-api");
        // Without the pod-template-hash label, the last dash-separated part is the hash.
        assertThat(WorkloadName.of(owned("ReplicaSet", "checkout-api-7d9f8b6c5d", null))).isEqualTo("checkout-api");
    }

    @Test
    void statefulSetDaemonSetAndJobPodsTakeTheirOwnersName() {
        assertThat(WorkloadName.of(owned("StatefulSet", "indexer", null))).isEqualTo("indexer");
        assertThat(WorkloadName.of(owned("DaemonSet", "node-agent", null))).isEqualTo("node-agent");
        assertThat(WorkloadName.of(owned("Job", "nightly-report-28990460", null))).isEqualTo("nightly-report-28990460");
    }

    @Test
    void otherPodsUseGenerateNameOrName() {
        Pod generated = new PodBuilder().withNewMetadata().withGenerateName("batch-runner-").endMetadata()
                .withNewSpec().endSpec().build();
        assertThat(WorkloadName.of(generated)).isEqualTo("batch-runner");
        Pod unknownOwner = owned("Workflow", "etl", null);
        unknownOwner.getMetadata().setGenerateName("etl-step-");
        assertThat(WorkloadName.of(unknownOwner)).isEqualTo("etl-step");
        Pod bare = new PodBuilder().withNewMetadata().withName("debug-shell").endMetadata().build();
        assertThat(WorkloadName.of(bare)).isEqualTo("debug-shell");
    }

    private static Pod owned(String kind, String owner, String templateHash) {
        PodBuilder pod = new PodBuilder().withNewMetadata()
                .addNewOwnerReference().withKind(kind).withName(owner).withController(true).endOwnerReference()
                .endMetadata();
        if (templateHash != null) {
            pod.editMetadata().addToLabels("pod-template-hash", templateHash).endMetadata();
        }
        return pod.build();
    }
}
