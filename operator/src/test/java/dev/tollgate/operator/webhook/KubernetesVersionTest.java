package dev.tollgate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

class KubernetesVersionTest {

    @Test
    void nativeSidecarsFrom129AndTheAnswerIsAskedOnce() {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            kubernetes.version("1", "30");
            KubernetesVersion version = new KubernetesVersion(kubernetes.client);

            assertThat(version.nativeSidecars()).isTrue();
            int requests = kubernetes.requestCount();
            kubernetes.version("1", "28");
            assertThat(version.nativeSidecars()).isTrue();
            assertThat(kubernetes.requestCount()).isEqualTo(requests);
        }
    }

    @Test
    void olderClustersGetRegularContainers() {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            kubernetes.version("1", "28");

            assertThat(new KubernetesVersion(kubernetes.client).nativeSidecars()).isFalse();
        }
    }

    @Test
    void anUnansweredVersionMeansARegularContainerAndIsAskedAgain() {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            kubernetes.versionUnavailable();
            Config noRetries = new ConfigBuilder(kubernetes.client.getConfiguration()).withRequestRetryBackoffLimit(0).build();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(noRetries).build()) {
                KubernetesVersion version = new KubernetesVersion(client);

                assertThat(version.nativeSidecars()).isFalse();
                kubernetes.version("1", "31");
                assertThat(version.nativeSidecars()).isTrue();
            }
        }
    }

    @Test
    void versionsAsManagedClustersReportThem() {
        assertThat(KubernetesVersion.supportsNativeSidecars("1", "29")).isTrue();
        assertThat(KubernetesVersion.supportsNativeSidecars("1", "30+")).isTrue(); // GKE, EKS
        assertThat(KubernetesVersion.supportsNativeSidecars("1", "28+")).isFalse();
        assertThat(KubernetesVersion.supportsNativeSidecars("1", "9")).isFalse();
        assertThat(KubernetesVersion.supportsNativeSidecars("2", "0")).isTrue();
        assertThat(KubernetesVersion.supportsNativeSidecars("1", "")).isFalse();
        assertThat(KubernetesVersion.supportsNativeSidecars(null, null)).isFalse();
    }
}
