package dev.tollgate.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartLintTest {

    @Test
    void lintsCleanWithItsDefaults() {
        assertClean(new Helm(ChartFiles.CHART).lint().strict().call());
    }

    @Test
    void lintsCleanWithEveryValueChanged(@TempDir Path dir) throws IOException {
        Path chart = ChartCopy.of(dir);
        ChartCopy.mergeValues(chart, ExampleValues.NON_DEFAULT);

        assertClean(new Helm(chart).lint().strict().call());
    }

    private static void assertClean(LintResult result) {
        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        // Only the advice that a chart may have an icon; no warning, no error.
        assertThat(result.getMessages()).allMatch(m -> m.startsWith("[INFO]"), "only [INFO] messages");
    }
}
