package dev.tollgate.helm;

import static dev.tollgate.helm.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's RBAC against what the operator really asks of the API server. The operator runs over
 * the mock API server as the chart configures it (leader election, reconcilers, certificates, the
 * webhook keeping its caBundle, the control API serving a sidecar's snapshot and lease calls), and
 * every request it sent must be one the rendered ClusterRole or Role grants. JOSDK's own check
 * of its Lease rights is answered with the rendered rules, as an API server would answer it.
 */
@EnableKubernetesMockClient(crud = true)
class RbacAgainstOperatorCallsTest {
    private static final String WEBHOOK = "tollgate-sidecar-injector";

    static KubernetesClient client;
    static KubernetesMockServer server;

    @Test
    void everyRequestTheOperatorSendsIsGrantedByTheChartsRoles(@TempDir Path dir) throws Exception {
        RenderedChart chart = RenderedChart.of("{}");
        List<RbacTest.Rule> clusterWide = RbacTest.rules(chart.one("ClusterRole", "tollgate-operator"));
        List<RbacTest.Rule> releaseNamespace = RbacTest.rules(chart.one("Role", "tollgate-operator"));
        answerRulesReviews(clusterWide, releaseNamespace);
        client.resource(Serialization.unmarshal(chart.one("MutatingWebhookConfiguration", WEBHOOK).toString(),
                MutatingWebhookConfiguration.class)).create();

        try (LoadedTollgate tollgate = LoadedTollgate.start(client, server, dir,
                List.of("--sidecar-image", "sidecar:test", "--webhook-port", "0"))) {
            tollgate.run(2, Duration.ofMillis(1200));
            awaitCaBundle();
        }

        List<ApiCall> calls = operatorCalls();
        // The run reached every kind of call the roles are there for.
        assertThat(calls).extracting(ApiCall::toString).contains(
                "create coordination.k8s.io/leases in " + NAMESPACE,
                "patch coordination.k8s.io/leases tollgate-operator in " + NAMESPACE,
                "create authorization.k8s.io/selfsubjectrulesreviews",
                "watch tollgate.dev/spendkeys",
                "patch tollgate.dev/spendkeys/status tiny in team-a",
                "patch tollgate.dev/airoutes/status chat in team-a",
                "create /secrets in team-a",
                "create /secrets in " + NAMESPACE,
                "watch /secrets",
                "watch /namespaces",
                "create events.k8s.io/events in team-a",
                "create authentication.k8s.io/tokenreviews",
                "patch admissionregistration.k8s.io/mutatingwebhookconfigurations " + WEBHOOK);
        assertThat(calls).filteredOn(call -> !call.grantedBy(clusterWide, releaseNamespace))
                .as("requests the chart's ClusterRole and Role do not grant").isEmpty();
    }

    /** One request as RBAC sees it: a verb on a resource (or a non-resource path), maybe named, maybe in a namespace. */
    record ApiCall(String verb, String group, String resource, String name, String namespace, String path) {
        private static final Set<String> NEVER_BY_NAME = Set.of("create", "list", "watch", "deletecollection");

        static ApiCall of(RecordedRequest request) {
            String path = request.getPath().replaceFirst("\\?.*", "");
            boolean watch = request.getPath().matches(".*[?&]watch=(true|1).*");
            List<String> parts = Arrays.asList(path.substring(1).split("/"));
            int resourceAt = parts.get(0).equals("api") ? 2 : parts.get(0).equals("apis") ? 3 : Integer.MAX_VALUE;
            if (parts.size() <= resourceAt) {
                return new ApiCall(request.getMethod().toLowerCase(), null, null, null, null, path);
            }
            String group = parts.get(0).equals("api") ? "" : parts.get(1);
            List<String> rest = parts.subList(resourceAt, parts.size());
            String namespace = null;
            if (rest.get(0).equals("namespaces") && rest.size() > 2) {
                namespace = rest.get(1);
                rest = rest.subList(2, rest.size());
            }
            String name = rest.size() > 1 ? rest.get(1) : null;
            String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
            String verb = switch (request.getMethod()) {
                case "GET" -> name != null ? "get" : watch ? "watch" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name != null ? "delete" : "deletecollection";
                default -> request.getMethod();
            };
            return new ApiCall(verb, group, resource, name, namespace, path);
        }

        /** As the API server's RBAC authorizer decides: a ClusterRole rule anywhere, a Role rule in its namespace only. */
        boolean grantedBy(List<RbacTest.Rule> clusterWide, List<RbacTest.Rule> releaseNamespace) {
            List<RbacTest.Rule> rules = NAMESPACE.equals(namespace)
                    ? Stream.concat(clusterWide.stream(), releaseNamespace.stream()).toList() : clusterWide;
            return rules.stream().anyMatch(this::matches);
        }

        private boolean matches(RbacTest.Rule rule) {
            if (!rule.verbs().contains(verb)) {
                return false;
            }
            if (resource == null) {
                return rule.nonResourceUrls().contains(path);
            }
            return rule.apiGroups().contains(group) && rule.resources().contains(resource)
                    && (rule.resourceNames().isEmpty() || name != null && !NEVER_BY_NAME.contains(verb) && rule.resourceNames().contains(name));
        }

        @Override
        public String toString() {
            if (resource == null) {
                return verb + " " + path;
            }
            return verb + " " + group + "/" + resource + (name == null ? "" : " " + name) + (namespace == null ? "" : " in " + namespace);
        }
    }

    /** What the API server answers a SelfSubjectRulesReview in the release namespace with the chart's roles bound. */
    private static void answerRulesReviews(List<RbacTest.Rule> clusterWide, List<RbacTest.Rule> releaseNamespace) {
        List<ResourceRule> rules = new ArrayList<>();
        Stream.concat(clusterWide.stream(), releaseNamespace.stream()).filter(r -> r.nonResourceUrls().isEmpty())
                .forEach(r -> rules.add(new ResourceRuleBuilder().withApiGroups(r.apiGroups()).withResources(r.resources())
                        .withResourceNames(r.resourceNames()).withVerbs(r.verbs()).build()));
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder()
                        .withNewSpec().withNamespace(NAMESPACE).endSpec()
                        .withNewStatus().withIncomplete(false).withResourceRules(rules).endStatus().build())
                .always();
    }

    private static void awaitCaBundle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            MutatingWebhookConfiguration configuration = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                    .withName(WEBHOOK).get();
            if (configuration.getWebhooks().stream().allMatch(w -> w.getClientConfig().getCaBundle() != null)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the operator never set the webhook's caBundle");
    }

    /** Every request the mock API server recorded from the operator's own client. */
    private static List<ApiCall> operatorCalls() throws InterruptedException {
        List<ApiCall> calls = new ArrayList<>();
        for (int i = server.getRequestCount(); i > 0; i--) {
            RecordedRequest request = server.takeRequest(100, TimeUnit.MILLISECONDS);
            if (request == null) {
                break;
            }
            if (LoadedTollgate.OPERATOR_USER_AGENT.equals(request.getHeader("User-Agent"))) {
                calls.add(ApiCall.of(request));
            }
        }
        return calls;
    }
}
