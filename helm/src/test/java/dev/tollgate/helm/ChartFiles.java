package dev.tollgate.helm;

import java.nio.file.Path;

/** Where the chart and the repository's committed CRDs are, from this module's directory (Maven's working directory). */
final class ChartFiles {
    static final Path CHART = Path.of("tollgate").toAbsolutePath();
    static final Path CRDS = Path.of("..", "crds").toAbsolutePath().normalize();
    static final Path DASHBOARDS = CHART.resolve("dashboards");
    static final Path ALERT_RULES = CHART.resolve("alerts").resolve("tollgate.rules.yaml");

    private ChartFiles() {
    }
}
