package dev.tollgate.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of the chart in a temporary directory, for what the real one cannot be made to hold:
 * dashboard and alert files another change provides, or non-default values for {@code helm lint}
 * (helm-java's lint takes no values file, so they go into the copy's values.yaml).
 */
final class ChartCopy {
    private static final YAMLMapper YAML = new YAMLMapper();

    private ChartCopy() {
    }

    static Path of(Path into) throws IOException {
        Path copy = into.resolve("tollgate");
        try (Stream<Path> files = Files.walk(ChartFiles.CHART)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(ChartFiles.CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return copy;
    }

    /** Adds (or replaces) a file, e.g. {@code dashboards/cost.json}. */
    static void put(Path chart, String relative, String content) throws IOException {
        Path file = chart.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Deep-merges {@code overlayYaml} into the copy's values.yaml, as {@code -f overlay.yaml} would. */
    static void mergeValues(Path chart, String overlayYaml) throws IOException {
        Path valuesFile = chart.resolve("values.yaml");
        ObjectNode values = (ObjectNode) YAML.readTree(valuesFile.toFile());
        merge(values, YAML.readTree(overlayYaml));
        YAML.writeValue(valuesFile.toFile(), values);
    }

    private static void merge(ObjectNode into, JsonNode overlay) {
        for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode object && field.getValue().isObject()) {
                merge(object, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }
}
