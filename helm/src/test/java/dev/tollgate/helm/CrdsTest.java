package dev.tollgate.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart installs exactly the CRDs the operator's classes generate into crds/. */
class CrdsTest {

    @Test
    void chartCrdsAreByteIdenticalToTheRepositorysCrds() throws IOException {
        List<String> repository = manifests(ChartFiles.CRDS);
        List<String> chart = manifests(ChartFiles.CHART.resolve("crds"));

        assertThat(repository).isNotEmpty();
        assertThat(chart).as("CRD files in helm/tollgate/crds").isEqualTo(repository);
        for (String name : repository) {
            assertThat(Files.readAllBytes(ChartFiles.CHART.resolve("crds").resolve(name)))
                    .as("helm/tollgate/crds/%s differs from crds/%s: copy it over", name, name)
                    .isEqualTo(Files.readAllBytes(ChartFiles.CRDS.resolve(name)));
        }
    }

    private static List<String> manifests(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml") || n.endsWith(".yaml")).sorted().toList();
        }
    }
}
