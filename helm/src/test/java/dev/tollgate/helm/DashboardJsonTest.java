package dev.tollgate.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dashboards as Grafana's dashboard sidecar loads them: portable, every panel on the chosen data source. */
class DashboardJsonTest {
    private static final String DATASOURCE = "${datasource}";

    @Test
    void theThreeDashboardsAreThereWithStableUids() {
        Set<String> uids = new HashSet<>();
        for (Path file : Dashboards.files()) {
            uids.add(Dashboards.read(file).path("uid").asText());
        }
        assertThat(uids).containsExactlyInAnyOrder("tollgate-cost", "tollgate-traffic", "tollgate-budgets");
    }

    @Test
    void eachHasADatasourceVariableAndNoImportInputs() {
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            assertThat(dashboard.has("__inputs")).as("%s has __inputs: it would only load through the import UI", file).isFalse();
            assertThat(dashboard.path("schemaVersion").asInt()).as(file.toString()).isGreaterThanOrEqualTo(39);
            List<JsonNode> datasources = new ArrayList<>();
            dashboard.path("templating").path("list").forEach(v -> {
                if (v.path("type").asText().equals("datasource")) {
                    datasources.add(v);
                }
            });
            assertThat(datasources).as(file.toString()).hasSize(1);
            assertThat(datasources.get(0).path("name").asText()).isEqualTo("datasource");
            assertThat(datasources.get(0).path("query").asText()).isEqualTo("prometheus");
        }
    }

    @Test
    void everyPanelTargetAndVariableQueriesTheChosenDatasource() {
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            List<JsonNode> panels = Dashboards.panels(dashboard);
            assertThat(panels).as(file.toString()).isNotEmpty();
            for (JsonNode panel : panels) {
                String where = file.getFileName() + " / " + panel.path("title").asText();
                assertThat(panel.path("datasource").path("uid").asText()).as(where).isEqualTo(DATASOURCE);
                assertThat(panel.path("targets")).as(where).isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).as(where).isEqualTo(DATASOURCE);
                    assertThat(target.path("expr").asText()).as(where).isNotBlank();
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    assertThat(variable.path("datasource").path("uid").asText()).as(variable.path("name").asText()).isEqualTo(DATASOURCE);
                }
            }
        }
    }

    @Test
    void panelIdsAreUniqueWithinADashboard() {
        for (Path file : Dashboards.files()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : Dashboards.read(file).path("panels")) {
                assertThat(ids.add(panel.path("id").asInt())).as("%s panel id %s", file, panel.path("id")).isTrue();
            }
        }
    }
}
