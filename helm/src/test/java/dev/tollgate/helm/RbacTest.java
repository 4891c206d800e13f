package dev.tollgate.helm;

import static dev.tollgate.helm.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, rule by rule, as checked against the operator's client calls: informers (get,
 * list, watch), status patches (the reconcilers' and the lease writer's), the token Secret's owner
 * reference, events, TokenReviews, the caBundle patch, JOSDK's Lease check and leader election.
 */
class RbacTest {
    private static final RenderedChart DEFAULTS = RenderedChart.of("{}");
    private static final RenderedChart CERT_MANAGER = RenderedChart.of("certificates: {mode: cert-manager}");

    /** One RBAC rule, flattened for comparison. */
    record Rule(List<String> apiGroups, List<String> resources, List<String> resourceNames, List<String> nonResourceUrls,
                List<String> verbs) {
        static Rule of(JsonNode rule) {
            return new Rule(OperatorDeploymentTest.texts(rule.path("apiGroups")), OperatorDeploymentTest.texts(rule.path("resources")),
                    OperatorDeploymentTest.texts(rule.path("resourceNames")), OperatorDeploymentTest.texts(rule.path("nonResourceURLs")),
                    OperatorDeploymentTest.texts(rule.path("verbs")));
        }

        static Rule resource(String group, List<String> resources, List<String> verbs) {
            return new Rule(List.of(group), resources, List.of(), List.of(), verbs);
        }

        static Rule named(String group, String resource, String name, List<String> verbs) {
            return new Rule(List.of(group), List.of(resource), List.of(name), List.of(), verbs);
        }
    }

    @Test
    void clusterRoleGrantsExactlyWhatTheOperatorCalls() {
        assertThat(rules(DEFAULTS.one("ClusterRole", "tollgate-operator"))).containsExactlyInAnyOrder(
                Rule.resource("tollgate.dev", List.of("providersecrets", "airoutes", "spendkeys"), List.of("get", "list", "watch")),
                Rule.resource("tollgate.dev", List.of("providersecrets/status", "airoutes/status", "spendkeys/status"),
                        List.of("patch")),
                Rule.resource("tollgate.dev", List.of("spendkeys/finalizers"), List.of("update")),
                Rule.resource("", List.of("secrets"), List.of("get", "list", "watch", "create")),
                Rule.resource("", List.of("namespaces"), List.of("get", "list", "watch")),
                Rule.resource("events.k8s.io", List.of("events"), List.of("create")),
                Rule.resource("authentication.k8s.io", List.of("tokenreviews"), List.of("create")),
                Rule.named("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "tollgate-sidecar-injector",
                        List.of("get", "patch")),
                Rule.resource("authorization.k8s.io", List.of("selfsubjectrulesreviews"), List.of("create")),
                new Rule(List.of(), List.of(), List.of(), List.of("/version"), List.of("get")));
    }

    @Test
    void webhookRuleFollowsTheWebhooksName() {
        RenderedChart chart = RenderedChart.of("webhook: {name: gateway-injector}");
        assertThat(rules(chart.one("ClusterRole", "tollgate-operator"))).contains(Rule.named("admissionregistration.k8s.io",
                "mutatingwebhookconfigurations", "gateway-injector", List.of("get", "patch")));
    }

    @Test
    void roleInTheReleaseNamespaceCoversTheLeaseAndRenewingTheOperatorsOwnSecret() {
        JsonNode role = DEFAULTS.one("Role", "tollgate-operator");

        assertThat(role.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(rules(role)).containsExactlyInAnyOrder(
                Rule.resource("coordination.k8s.io", List.of("leases"), List.of("create")),
                Rule.named("coordination.k8s.io", "leases", "tollgate-operator", List.of("get", "update", "patch")),
                Rule.named("", "secrets", "tollgate-operator-tls", List.of("update")));
    }

    @Test
    void withCertManagerTheOperatorCannotWriteItsTlsSecret() {
        assertThat(rules(CERT_MANAGER.one("Role", "tollgate-operator"))).containsExactlyInAnyOrder(
                Rule.resource("coordination.k8s.io", List.of("leases"), List.of("create")),
                Rule.named("coordination.k8s.io", "leases", "tollgate-operator", List.of("get", "update", "patch")));
    }

    @Test
    void bindingsGiveTheRolesToTheOperatorsServiceAccount() {
        JsonNode deployment = DEFAULTS.one("Deployment", "tollgate-operator");
        String account = deployment.at("/spec/template/spec/serviceAccountName").asText();
        DEFAULTS.one("ServiceAccount", account);

        for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
            JsonNode binding = DEFAULTS.one(kind, "tollgate-operator");
            assertThat(binding.at("/roleRef/kind").asText()).isEqualTo(kind.replace("Binding", ""));
            assertThat(binding.at("/roleRef/name").asText()).isEqualTo("tollgate-operator");
            assertThat(binding.at("/subjects")).hasSize(1);
            assertThat(binding.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
            assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account);
            assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(NAMESPACE);
        }
    }

    static List<Rule> rules(JsonNode role) {
        List<Rule> rules = new ArrayList<>();
        role.path("rules").forEach(r -> rules.add(Rule.of(r)));
        return rules;
    }
}
