package dev.tollgate.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookCaBundleTest {
    private static final String NAME = "tollgate-sidecar-injector";
    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBfirst\n-----END CERTIFICATE-----\n";
    static final String ROTATED = "-----BEGIN CERTIFICATE-----\nMIIBsecond\n-----END CERTIFICATE-----\n";

    private MockKubernetes kubernetes;

    @BeforeEach
    void start() {
        kubernetes = new MockKubernetes();
    }

    @AfterEach
    void stop() {
        kubernetes.close();
    }

    @Test
    void setsTheBundleOnEveryWebhookOnceAndKeepsTheRestOfTheConfiguration() {
        create();

        assertThat(WebhookCaBundle.patch(kubernetes.client, NAME, CA)).isEqualTo(WebhookCaBundle.Outcome.UPDATED);

        MutatingWebhookConfiguration stored = stored();
        assertThat(stored.getWebhooks()).extracting(w -> w.getClientConfig().getCaBundle())
                .containsExactly(base64(CA), base64(CA));
        assertThat(stored.getWebhooks().get(0).getClientConfig().getService().getPath()).isEqualTo("/mutate-pods");
        assertThat(stored.getWebhooks().get(0).getFailurePolicy()).isEqualTo("Ignore");
        assertThat(stored.getWebhooks().get(1).getClientConfig().getUrl()).isEqualTo("https://127.0.0.1:9443/mutate-pods");
        assertThat(WebhookCaBundle.patch(kubernetes.client, NAME, CA)).isEqualTo(WebhookCaBundle.Outcome.UNCHANGED);

        assertThat(WebhookCaBundle.patch(kubernetes.client, NAME, ROTATED)).isEqualTo(WebhookCaBundle.Outcome.UPDATED);
        assertThat(stored().getWebhooks()).extracting(w -> w.getClientConfig().getCaBundle())
                .containsExactly(base64(ROTATED), base64(ROTATED));
    }

    @Test
    void aWriteThatLostTheRaceToAnotherReplicaIsReadAndAppliedAgainNotThrown() {
        create();
        // Another replica wrote the configuration between this one's read and its patch: the API server says 409.
        kubernetes.server.expect().patch().withPath("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/" + NAME)
                .andReturn(409, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "Conflict", "code", 409,
                        "message", "Operation cannot be fulfilled on mutatingwebhookconfigurations.admissionregistration.k8s.io \""
                                + NAME + "\": the object has been modified; please apply your changes to the latest version and try again"))
                .once();

        assertThat(WebhookCaBundle.patch(kubernetes.client, NAME, CA)).isEqualTo(WebhookCaBundle.Outcome.UPDATED);
        assertThat(stored().getWebhooks()).extracting(w -> w.getClientConfig().getCaBundle()).containsExactly(base64(CA), base64(CA));
    }

    @Test
    void aMissingConfigurationIsReportedNotThrown() {
        assertThat(WebhookCaBundle.patch(kubernetes.client, NAME, CA)).isEqualTo(WebhookCaBundle.Outcome.MISSING);
    }

    @Test
    void theKeeperSetsItOnceTheConfigurationAppearsAndAgainAfterAnUpgradeClearsIt() throws Exception {
        AtomicReference<String> ca = new AtomicReference<>(CA);
        try (WebhookCaBundle keeper = WebhookCaBundle.keep(kubernetes.client, NAME, ca::get, Duration.ofMillis(50))) {
            awaitRequests(3); // a few rounds against a missing configuration, which must not stop the keeper
            create();
            awaitBundle(base64(CA));
        }
        // helm upgrade re-applies the chart, whose caBundle is empty
        kubernetes.client.resource(configuration()).update();
        assertThat(stored().getWebhooks().get(0).getClientConfig().getCaBundle()).isNull();

        try (WebhookCaBundle keeper = WebhookCaBundle.keep(kubernetes.client, NAME, ca::get, Duration.ofMillis(50))) {
            awaitBundle(base64(CA));
            ca.set(ROTATED);
            awaitBundle(base64(ROTATED));
        }
    }

    private void awaitRequests(int count) throws InterruptedException {
        for (int i = 0; i < 200 && kubernetes.requestCount() < count; i++) {
            Thread.sleep(50);
        }
        assertThat(kubernetes.requestCount()).isGreaterThanOrEqualTo(count);
    }

    private void awaitBundle(String expected) throws InterruptedException {
        awaitBundle(kubernetes.client, NAME, expected);
    }

    /** Waits until every webhook carries {@code expected}; at most 10 s, which proves it happens, not how fast. */
    static void awaitBundle(KubernetesClient client, String name, String expected) throws InterruptedException {
        Resource<MutatingWebhookConfiguration> resource =
                client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name);
        for (int i = 0; i < 200; i++) {
            MutatingWebhookConfiguration stored = resource.get();
            if (stored != null && stored.getWebhooks().stream()
                    .allMatch(w -> w.getClientConfig() != null && expected.equals(w.getClientConfig().getCaBundle()))) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(resource.get().getWebhooks()).extracting(w -> w.getClientConfig().getCaBundle()).containsOnly(expected);
    }

    private MutatingWebhookConfiguration stored() {
        return kubernetes.client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(NAME).get();
    }

    private void create() {
        kubernetes.client.resource(configuration()).create();
    }

    /** As the chart installs it: two webhooks, no caBundle. */
    private static MutatingWebhookConfiguration configuration() {
        return new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(NAME).endMetadata()
                .withWebhooks(List.of(webhook("pods.tollgate.dev", true), webhook("pods-local.tollgate.dev", false)))
                .build();
    }

    private static MutatingWebhook webhook(String name, boolean service) {
        var builder = new io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder()
                .withName(name)
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy("Ignore")
                .addNewRule().withApiGroups("").withApiVersions("v1").withResources("pods").withOperations("CREATE").endRule();
        if (service) {
            builder.withNewClientConfig().withNewService().withNamespace("tollgate-system").withName("tollgate-operator")
                    .withPath("/mutate-pods").withPort(9443).endService().endClientConfig();
        } else {
            builder.withNewClientConfig().withUrl("https://127.0.0.1:9443/mutate-pods").endClientConfig();
        }
        return builder.build();
    }

    static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
