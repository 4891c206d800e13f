package dev.tollgate.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crds/} and the chart's copy in {@code helm/tollgate/crds/} are committed and must both be
 * exactly what Fabric8's generator makes of the API classes. To regenerate both, run the command in
 * {@link #REGENERATE} (also in crds/README.md).
 */
class CrdsAreUpToDateTest {
    static final String REGENERATE = "./mvnw -B -q -pl operator -am test -Dtest=CrdsAreUpToDateTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dtollgate.crds.write=true";
    /** Surefire runs in operator/, so the repository's crds/ is one level up. */
    static final Path CRDS = Path.of("..", "crds");
    static final Path CHART_CRDS = Path.of("..", "helm", "tollgate", "crds");
    static final List<Class<? extends HasMetadata>> RESOURCES = List.of(AIRoute.class, ProviderSecret.class, SpendKey.class);

    @Test
    void committedCrdsMatchTheApiClasses(@TempDir Path generated) throws IOException {
        generate(generated);
        Map<String, String> expected = yamlFiles(generated);
        assertThat(expected).isNotEmpty();
        for (Path copy : List.of(CRDS, CHART_CRDS)) {
            if (Boolean.getBoolean("tollgate.crds.write")) {
                replaceYaml(copy, generated);
            }
            Map<String, String> committed = yamlFiles(copy);
            Set<String> stale = new TreeSet<>(committed.keySet());
            stale.addAll(expected.keySet());
            stale.removeIf(name -> Objects.equals(committed.get(name), expected.get(name)));

            assertThat(stale)
                    .as("%s is stale (missing, extra or different files); run `%s` and commit the result", copy, REGENERATE)
                    .isEmpty();
        }
    }

    static void generate(Path dir) {
        new CRDGenerator()
                .customResourceClasses(RESOURCES)
                .forCRDVersions("v1")
                .withPostProcessor(COLUMNS_AS_DECLARED)
                .inOutputDir(dir.toFile())
                .generate();
    }

    /** The generator sorts printer columns by JSON path; kubectl shows them in the order the class declares. */
    private static final CRDPostProcessor COLUMNS_AS_DECLARED = new CRDPostProcessor() {
        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            CustomResourceDefinition definition = (CustomResourceDefinition) crd;
            List<String> declared = RESOURCES.stream()
                    .filter(c -> HasMetadata.getKind(c).equals(definition.getSpec().getNames().getKind()))
                    .flatMap(c -> Arrays.stream(c.getAnnotationsByType(AdditionalPrinterColumn.class)))
                    .map(AdditionalPrinterColumn::name)
                    .toList();
            for (var version : definition.getSpec().getVersions()) {
                version.getAdditionalPrinterColumns().sort(
                        Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
            }
            return crd;
        }
    };

    private static Map<String, String> yamlFiles(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : list.filter(CrdsAreUpToDateTest::isYaml).toList()) {
                    files.put(p.getFileName().toString(), Files.readString(p));
                }
            }
        }
        return files;
    }

    private static void replaceYaml(Path target, Path source) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> old = Files.list(target)) {
            for (Path p : old.filter(CrdsAreUpToDateTest::isYaml).toList()) {
                Files.delete(p);
            }
        }
        try (Stream<Path> fresh = Files.list(source)) {
            for (Path p : fresh.filter(CrdsAreUpToDateTest::isYaml).toList()) {
                Files.copy(p, target.resolve(p.getFileName()));
            }
        }
    }

    private static boolean isYaml(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".yml") || name.endsWith(".yaml");
    }
}
