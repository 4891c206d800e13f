package dev.tollgate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NamespaceLabelsTest {

    @Test
    void aRolloutsPodsCostOneLookupAndARelabelCountsOnceTheEntryIsOld() {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            Namespace labs = kubernetes.client.namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata().withName("labs").addToLabels("tollgate.dev/inject", "enabled").endMetadata().build()).create();
            NamespaceLabels cached = new NamespaceLabels(kubernetes.client, Duration.ofMinutes(10));
            NamespaceLabels uncached = new NamespaceLabels(kubernetes.client, Duration.ZERO);

            assertThat(cached.of("labs")).containsEntry("tollgate.dev/inject", "enabled");
            int requests = kubernetes.requestCount();
            for (int i = 0; i < 5; i++) {
                assertThat(cached.of("labs")).containsEntry("tollgate.dev/inject", "enabled");
            }
            assertThat(kubernetes.requestCount()).isEqualTo(requests);

            labs.getMetadata().getLabels().remove("tollgate.dev/inject");
            kubernetes.client.resource(labs).update();
            assertThat(uncached.of("labs")).doesNotContainKey("tollgate.dev/inject");
        }
    }

    @Test
    void aMissingNamespaceHasNoLabels() {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            assertThat(new NamespaceLabels(kubernetes.client, Duration.ZERO).of("gone")).isEmpty();
        }
    }
}
