package dev.tollgate.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects {@code helm template} renders for a chart and values, parsed as a platform engineer
 * reads them: by kind and name. Release {@code tollgate} in {@code tollgate-system}, Kubernetes 1.30.
 */
final class RenderedChart {
    static final String RELEASE = "tollgate";
    static final String NAMESPACE = "tollgate-system";
    private static final ObjectMapper YAML = new YAMLMapper();

    private final List<JsonNode> objects;

    private RenderedChart(List<JsonNode> objects) {
        this.objects = objects;
    }

    static RenderedChart of(String valuesYaml) {
        return of(ChartFiles.CHART, valuesYaml);
    }

    /** @throws IllegalStateException with helm's message when the values or templates are refused */
    static RenderedChart of(Path chart, String valuesYaml) {
        try {
            Path values = Files.createTempFile("tollgate-values", ".yaml");
            try {
                Files.writeString(values, valuesYaml);
                String manifest = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
                        .withKubeVersion("1.30.0").withValuesFile(values).call();
                return new RenderedChart(parse(manifest));
            } finally {
                Files.delete(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> parse(String multiDocumentYaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(multiDocumentYaml)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    /** A YAML snippet as a tree, to compare rendered objects with. */
    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    JsonNode one(String kind, String name) {
        List<JsonNode> found = all(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).toList();
        assertThat(found).as("%s %s rendered once", kind, name).hasSize(1);
        return found.get(0);
    }

    JsonNode only(String kind) {
        assertThat(all(kind)).as("one %s rendered", kind).hasSize(1);
        return all(kind).get(0);
    }

    List<JsonNode> objects() {
        return objects;
    }
}
