package dev.tollgate.operator.webhook;

import static dev.tollgate.operator.webhook.WebhookCaBundleTest.CA;
import static dev.tollgate.operator.webhook.WebhookCaBundleTest.ROTATED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The webhook wired as the operator runs it: version from /version, CA per admission, caBundle kept. */
class SidecarInjectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String WEBHOOK = "tollgate-sidecar-injector";

    @Test
    void injectsWithTheCurrentCaAndTheClustersModeAndKeepsTheCaBundle() throws Exception {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            kubernetes.version("1", "30");
            kubernetes.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                    .build()).create();
            kubernetes.client.resource(new MutatingWebhookConfigurationBuilder()
                    .withNewMetadata().withName(WEBHOOK).endMetadata()
                    .addNewWebhook().withName("pods.tollgate.dev").withAdmissionReviewVersions("v1").withSideEffects("None")
                    .withNewClientConfig().withNewService().withNamespace("tollgate-system").withName("tollgate-operator")
                    .withPath(WebhookServer.MUTATE_PATH).withPort(9443).endService().endClientConfig().endWebhook()
                    .build()).create();
            AtomicReference<String> ca = new AtomicReference<>(CA);
            var ssl = TestTls.serverContext("first");

            try (SidecarInjector injector = SidecarInjector.start(kubernetes.client,
                    InjectionSettings.defaults(AdmissionHandlerTest.IMAGE, AdmissionHandlerTest.CONTROL_URL, "unused"),
                    ca::get, () -> ssl, "127.0.0.1", 0, WEBHOOK, NativeSidecarMode.AUTO)) {
                URI mutate = URI.create("https://127.0.0.1:" + injector.port() + WebhookServer.MUTATE_PATH);

                Container sidecar = injectedSidecar(mutate);
                assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
                assertThat(env(sidecar, "TOLLGATE_CONTROL_CA")).isEqualTo(CA);
                WebhookCaBundleTest.awaitBundle(kubernetes.client, WEBHOOK, WebhookCaBundleTest.base64(CA));

                ca.set(ROTATED);
                assertThat(env(injectedSidecar(mutate), "TOLLGATE_CONTROL_CA")).isEqualTo(ROTATED);
            }
        }
    }

    @Test
    void nativeSidecarsOffInjectsARegularContainerEvenOnANewCluster() throws Exception {
        try (MockKubernetes kubernetes = new MockKubernetes()) {
            kubernetes.version("1", "30");
            kubernetes.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                    .build()).create();
            var ssl = TestTls.serverContext("first");

            try (SidecarInjector injector = SidecarInjector.start(kubernetes.client,
                    InjectionSettings.defaults(AdmissionHandlerTest.IMAGE, AdmissionHandlerTest.CONTROL_URL, "unused"),
                    () -> CA, () -> ssl, "127.0.0.1", 0, WEBHOOK, NativeSidecarMode.OFF)) {
                ObjectNode review = AdmissionHandlerTest.fixture("deployment-pod.json");
                var response = TestTls.postJson(URI.create("https://127.0.0.1:" + injector.port() + WebhookServer.MUTATE_PATH),
                        review.toString());
                var pod = new AdmissionHandlerTest.Review(review.at("/request/object"), JSON.readTree(response.body())).patchedPod();

                assertThat(pod.getSpec().getInitContainers()).noneMatch(c -> c.getName().equals("tollgate-sidecar"));
                assertThat(pod.getSpec().getContainers()).anyMatch(c -> c.getName().equals("tollgate-sidecar")
                        && c.getRestartPolicy() == null);
            }
        }
    }

    private static Container injectedSidecar(URI mutate) throws Exception {
        ObjectNode review = AdmissionHandlerTest.fixture("deployment-pod.json");
        var response = TestTls.postJson(mutate, review.toString());
        assertThat(response.statusCode()).isEqualTo(200);
        var answer = new AdmissionHandlerTest.Review(review.at("/request/object"), JSON.readTree(response.body()));
        return answer.patchedPod().getSpec().getInitContainers().get(0);
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElseThrow();
    }
}
