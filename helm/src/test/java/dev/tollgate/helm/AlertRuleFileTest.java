package dev.tollgate.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What an on-call engineer gets with each alert: a wait, a severity, and what to do. */
class AlertRuleFileTest {
    @Test
    void theAlertsOfDesignSection8AreThere() {
        assertThat(AlertRules.all()).extracting(AlertRules.Rule::alert).containsExactlyInAnyOrder(
                "TollgateBudgetNearlySpent", "TollgateBudgetExhausted", "TollgateProviderErrorRate",
                "TollgateFailoverStorm", "TollgateSidecarOverheadHigh", "TollgateControlApiUnreachable");
    }

    @Test
    void eachWaitsHasASeverityAndSaysWhatHappenedAndWhatToDo() {
        for (AlertRules.Rule rule : AlertRules.all()) {
            var source = rule.source();
            assertThat(source.path("for").asText()).as(rule.alert()).matches("\\d+[smh]");
            assertThat(source.path("labels").path("severity").asText()).as(rule.alert()).isIn(List.of("warning", "critical"));
            for (String annotation : List.of("summary", "description", "runbook")) {
                assertThat(source.path("annotations").path(annotation).asText()).as(rule.alert() + " " + annotation).isNotBlank();
            }
        }
    }
}
