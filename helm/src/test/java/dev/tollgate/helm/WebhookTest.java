package dev.tollgate.helm;

import static dev.tollgate.helm.OperatorDeploymentTest.find;
import static dev.tollgate.helm.OperatorDeploymentTest.texts;
import static dev.tollgate.helm.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.operator.runtime.OperatorOptions;
import dev.tollgate.operator.webhook.SidecarInjection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MutatingWebhookConfiguration and where its certificate comes from. */
class WebhookTest {
    private static final RenderedChart DEFAULTS = RenderedChart.of("{}");
    private static final RenderedChart CUSTOM = RenderedChart.of(ExampleValues.NON_DEFAULT);

    @Test
    void podsOptInByLabelOrTheirNamespacesLabelAndTheOperatorsNamespaceNever() {
        JsonNode configuration = DEFAULTS.one("MutatingWebhookConfiguration", "tollgate-sidecar-injector");
        JsonNode byPod = find(configuration.path("webhooks"), "name", "pods.sidecar-injector.tollgate.dev");
        JsonNode byNamespace = find(configuration.path("webhooks"), "name", "namespaces.sidecar-injector.tollgate.dev");

        assertThat(configuration.path("webhooks")).hasSize(2);
        assertThat(byPod.at("/objectSelector/matchLabels/" + SidecarInjection.INJECT_LABEL.replace("/", "~1")).asText())
                .isEqualTo("true");
        assertThat(byPod.at("/namespaceSelector/matchExpressions")).containsExactly(excluded(NAMESPACE, "kube-system"));

        assertThat(byNamespace.at("/objectSelector/matchExpressions")).hasSize(1);
        assertThat(byNamespace.at("/objectSelector/matchExpressions/0/key").asText()).isEqualTo(SidecarInjection.INJECT_LABEL);
        assertThat(byNamespace.at("/objectSelector/matchExpressions/0/operator").asText()).isEqualTo("DoesNotExist");
        JsonNode namespaceExpressions = byNamespace.at("/namespaceSelector/matchExpressions");
        assertThat(namespaceExpressions).hasSize(2);
        assertThat(namespaceExpressions.get(0).path("key").asText()).isEqualTo(SidecarInjection.INJECT_LABEL);
        assertThat(namespaceExpressions.get(0).path("operator").asText()).isEqualTo("In");
        assertThat(texts(namespaceExpressions.get(0).path("values"))).containsExactly(SidecarInjection.NAMESPACE_ENABLED);
        assertThat(namespaceExpressions.get(1)).isEqualTo(excluded(NAMESPACE, "kube-system"));
    }

    @Test
    void bothWebhooksCallTheOperatorOnPodCreationOnly() {
        for (RenderedChart chart : List.of(DEFAULTS, CUSTOM)) {
            OperatorOptions options = OperatorDeploymentTest.options(chart.one("Deployment", "tollgate-operator"));
            JsonNode configuration = chart.one("MutatingWebhookConfiguration", options.webhookName());
            for (JsonNode webhook : configuration.path("webhooks")) {
                assertThat(texts(webhook.path("admissionReviewVersions"))).containsExactly("v1");
                assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
                assertThat(webhook.at("/clientConfig/service/name").asText()).isEqualTo(options.serviceName());
                assertThat(webhook.at("/clientConfig/service/namespace").asText()).isEqualTo(NAMESPACE);
                assertThat(webhook.at("/clientConfig/service/port").asInt()).isEqualTo(options.webhookPort());
                assertThat(webhook.at("/clientConfig/service/path").asText()).isEqualTo("/mutate-pods");
                // Empty until the operator (or cert-manager) fills it; the chart never ships a CA.
                assertThat(webhook.at("/clientConfig/caBundle").isMissingNode()).isTrue();
                assertThat(webhook.path("rules")).hasSize(1);
                assertThat(texts(webhook.at("/rules/0/operations"))).containsExactly("CREATE");
                assertThat(texts(webhook.at("/rules/0/apiGroups"))).containsExactly("");
                assertThat(texts(webhook.at("/rules/0/resources"))).containsExactly("pods");
            }
        }
    }

    @Test
    void failurePolicyTimeoutAndReinvocationAreValues() {
        for (JsonNode webhook : DEFAULTS.only("MutatingWebhookConfiguration").path("webhooks")) {
            assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Fail");
            assertThat(webhook.path("timeoutSeconds").asInt()).isEqualTo(10);
            assertThat(webhook.path("reinvocationPolicy").asText()).isEqualTo("IfNeeded");
        }
        JsonNode custom = CUSTOM.one("MutatingWebhookConfiguration", "gateway-injector");
        for (JsonNode webhook : custom.path("webhooks")) {
            assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Ignore");
            assertThat(webhook.path("timeoutSeconds").asInt()).isEqualTo(5);
            assertThat(webhook.path("reinvocationPolicy").asText()).isEqualTo("Never");
            assertThat(texts(find(webhook.at("/namespaceSelector/matchExpressions"), "key", "kubernetes.io/metadata.name")
                    .path("values"))).containsExactly(NAMESPACE, "kube-system", "monitoring");
        }
    }

    @Test
    void selfManagedCertificatesAreTheOperatorsJob() {
        assertThat(DEFAULTS.only("MutatingWebhookConfiguration").at("/metadata/annotations").isMissingNode()).isTrue();
        assertThat(DEFAULTS.all("Certificate")).isEmpty();
        assertThat(DEFAULTS.all("Issuer")).isEmpty();
    }

    @Test
    void certManagerIssuesTheSecretTheOperatorReadsAndInjectsTheCa() {
        OperatorOptions options = OperatorDeploymentTest.options(CUSTOM.one("Deployment", "tollgate-operator"));
        JsonNode serving = CUSTOM.one("Certificate", "tollgate-operator-serving");
        JsonNode ca = CUSTOM.one("Certificate", "tollgate-operator-ca");

        assertThat(CUSTOM.one("MutatingWebhookConfiguration", "gateway-injector").at("/metadata/annotations")
                .path("cert-manager.io/inject-ca-from").asText()).isEqualTo(NAMESPACE + "/tollgate-operator-serving");
        assertThat(serving.at("/spec/secretName").asText()).isEqualTo(options.tlsSecretName());
        String svc = options.serviceName();
        // The names the operator's own certificate has: sidecars and the API server dial them.
        assertThat(texts(serving.at("/spec/dnsNames"))).containsExactly(svc, svc + "." + NAMESPACE, svc + "." + NAMESPACE + ".svc",
                svc + "." + NAMESPACE + ".svc.cluster.local");
        assertThat(serving.at("/spec/issuerRef/name").asText()).isEqualTo("tollgate-operator-ca");
        JsonNode caIssuer = CUSTOM.one("Issuer", "tollgate-operator-ca");
        assertThat(caIssuer.at("/spec/ca/secretName").asText()).isEqualTo(ca.at("/spec/secretName").asText());
        assertThat(ca.at("/spec/isCA").asBoolean()).isTrue();
        assertThat(CUSTOM.one("Issuer", ca.at("/spec/issuerRef/name").asText()).at("/spec/selfSigned").isObject()).isTrue();

        // The pod waits for the issued Secret, so the operator never creates one of its own there.
        JsonNode deployment = CUSTOM.one("Deployment", "tollgate-operator");
        assertThat(find(deployment.at("/spec/template/spec/volumes"), "name", "tls").at("/secret/secretName").asText())
                .isEqualTo(options.tlsSecretName());
    }

    private static JsonNode excluded(String... namespaces) {
        return RenderedChart.yaml("{key: kubernetes.io/metadata.name, operator: NotIn, values: [" + String.join(", ", namespaces) + "]}");
    }
}
