package dev.tollgate.helm;

import java.nio.file.Path;

/** Where the chart and the repository's committed CRDs are, from this module's directory (Maven's working directory). */
final class ChartFiles {
    static final Path CHART = Path.of("tollgate").toAbsolutePath();
    static final Path CRDS = Path.of("..", "crds").toAbsolutePath().normalize();

    private ChartFiles() {
    }
}
