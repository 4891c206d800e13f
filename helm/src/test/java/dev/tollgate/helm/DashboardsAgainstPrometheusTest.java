package dev.tollgate.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dashboard query and alert rule, evaluated by a real Prometheus scraping a real sidecar and
 * operator under load: each query returns data, each rule loads healthy, and the alerts the load
 * provokes (a failing provider, failover on every request, a spend key run dry) go pending.
 * Queries are evaluated at one moment just after the load, so the order the tests run in does not
 * move their rate windows.
 */
@EnableKubernetesMockClient(crud = true)
class DashboardsAgainstPrometheusTest {
    /** After the last request: the last usage report, a scrape and a rule evaluation (each about every second). */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    static KubernetesClient client;
    static KubernetesMockServer server;

    @TempDir
    static Path dir;

    private static LoadedTollgate tollgate;
    private static PrometheusServer prometheus;
    private static int tinyKeyRefusals;
    private static Instant evaluatedAt;

    @BeforeAll
    static void loadWhilePrometheusScrapes() throws Exception {
        tollgate = LoadedTollgate.start(client, server, dir, List.of("--no-leader-election"));
        prometheus = PrometheusServer.start(dir.resolve("prometheus"), ChartFiles.ALERT_RULES, List.of(
                // The labels the chart's PodMonitor attaches to a sidecar: its namespace, workload and pod.
                new PrometheusServer.ScrapeJob("tollgate-sidecars", tollgate.sidecarAdminPort(), Map.of(
                        "namespace", LoadedTollgate.NAMESPACE, "workload", LoadedTollgate.WORKLOAD, "pod", LoadedTollgate.POD), false),
                // The operator's own series carry the SpendKey's namespace, kept by honorLabels.
                new PrometheusServer.ScrapeJob("tollgate-operator", tollgate.operatorMetricsPort(), Map.of(
                        "namespace", "tollgate-system", "pod", "tollgate-operator-0"), true)));
        prometheus.awaitTargetsUp(2);
        tinyKeyRefusals = tollgate.run(4, Duration.ofMillis(1200));
        evaluatedAt = Instant.now().plus(SETTLE);
        // Past that moment, plus a scrape, so what Prometheus has for it is complete.
        Thread.sleep(SETTLE.plusSeconds(2).toMillis());
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @Test
    void theLoadRanTheTinyKeyDry() {
        assertThat(tinyKeyRefusals).as("requests on the tiny key refused with 429 budget_exceeded").isPositive();
    }

    @Test
    void everyDashboardPanelQueryReturnsData() {
        assertEveryQueryReturnsData(Dashboards.panelQueries());
    }

    @Test
    void everyTemplateVariableFindsValues() {
        assertEveryQueryReturnsData(Dashboards.variableQueries());
    }

    @Test
    void everyAlertRuleIsLoadedAndHealthyAndWhatItMeasuresReturnsData() {
        List<AlertRules.Rule> rules = AlertRules.all();
        Map<String, JsonNode> loaded = new HashMap<>();
        for (JsonNode group : prometheus.ruleGroups()) {
            group.path("rules").forEach(r -> loaded.put(r.path("name").asText(), r));
        }
        assertThat(loaded.keySet()).containsExactlyInAnyOrderElementsOf(rules.stream().map(AlertRules.Rule::alert).toList());
        for (AlertRules.Rule rule : rules) {
            assertThat(loaded.get(rule.alert()).path("health").asText()).as(rule.alert() + ": " + loaded.get(rule.alert()))
                    .isEqualTo("ok");
        }
        assertEveryQueryReturnsData(rules.stream().map(r -> new Dashboards.Query(r.alert(), r.measured())).toList());
    }

    @Test
    void theAlertsTheLoadProvokesArePendingOrFiring() {
        // The overhead alert is left out: a cold JVM's first requests may well take milliseconds in the sidecar.
        assertThat(activeAlerts()).filteredOn(alert -> !alert.startsWith("TollgateSidecarOverheadHigh/"))
                .as("exactly these: not the healthy provider, the other routes, the other key or the control API")
                .containsExactlyInAnyOrder("TollgateProviderErrorRate/team-a/mock-flaky", "TollgateProviderErrorRate/team-a/mock-down",
                        "TollgateFailoverStorm/chat", "TollgateBudget/tiny");
    }

    /** Pending or firing alerts as "name/what": the provider, route or spend key they are about. */
    private static Set<String> activeAlerts() {
        Set<String> active = new HashSet<>();
        for (JsonNode alert : prometheus.query("ALERTS{alertstate=~\"pending|firing\"}", evaluatedAt)) {
            JsonNode labels = alert.path("metric");
            String name = labels.path("alertname").asText();
            active.add(switch (name) {
                case "TollgateProviderErrorRate" -> name + "/" + labels.path("provider").asText();
                case "TollgateFailoverStorm" -> name + "/" + labels.path("route").asText().replaceFirst("^.*/", "");
                // Nearly spent or exhausted, whichever the last request left it at: both mean "the load ran it down".
                case "TollgateBudgetNearlySpent", "TollgateBudgetExhausted" ->
                        "TollgateBudget/" + labels.path("spend_key").asText().replaceFirst("^.*/", "");
                default -> name + "/" + labels;
            });
        }
        return active;
    }

    /** Each query returns at least one sample that is a number (not NaN); names every one that did not. */
    private static void assertEveryQueryReturnsData(List<Dashboards.Query> queries) {
        assertThat(queries).isNotEmpty();
        List<String> empty = new ArrayList<>();
        for (Dashboards.Query query : queries) {
            if (!hasNumber(prometheus.query(query.expr(), evaluatedAt))) {
                empty.add(query.where() + ": " + query.expr());
            }
        }
        assertThat(empty).as("queries that returned no data").isEmpty();
    }

    private static boolean hasNumber(JsonNode result) {
        for (JsonNode sample : result) {
            JsonNode value = sample.has("value") ? sample.path("value") : sample;
            String number = value.path(1).asText();
            if (!number.isEmpty() && !number.equals("NaN")) {
                return true;
            }
        }
        return false;
    }
}
