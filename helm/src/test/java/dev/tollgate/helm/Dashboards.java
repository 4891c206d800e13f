package dev.tollgate.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The chart's Grafana dashboards, and their queries as Grafana sends them to Prometheus. */
final class Dashboards {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What Grafana puts for its interval variables at the dashboards' default 6 h range and a 15 s scrape interval. */
    private static final String RATE_INTERVAL = "1m";
    private static final String RANGE = "6h";
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");

    /** One query of a panel (or of a template variable), named for failure messages. */
    record Query(String where, String expr) {
    }

    private Dashboards() {
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.list(ChartFiles.DASHBOARDS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel with queries, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("panels").forEach(panels::add);
            panels.add(panel);
        }
        return panels.stream().filter(p -> p.has("targets")).toList();
    }

    /** Every panel target's expression with the variables substituted as Grafana does with "All" selected. */
    static List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        for (Path file : files()) {
            JsonNode dashboard = read(file);
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(file.getFileName() + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                            substitute(target.path("expr").asText())));
                }
            }
        }
        return queries;
    }

    /**
     * Each query variable's {@code label_values(selector, label)} as the PromQL that finds the same
     * values ({@code count by (label) (selector)}), the earlier variables substituted.
     */
    static List<Query> variableQueries() {
        List<Query> queries = new ArrayList<>();
        for (Path file : files()) {
            for (JsonNode variable : read(file).path("templating").path("list")) {
                if (!variable.path("type").asText().equals("query")) {
                    continue;
                }
                String labelValues = variable.path("query").path("query").asText();
                Matcher call = LABEL_VALUES.matcher(labelValues);
                if (!call.matches()) {
                    throw new AssertionError(file.getFileName() + " variable " + variable.path("name").asText()
                            + " is not label_values(selector, label): " + labelValues);
                }
                queries.add(new Query(file.getFileName() + " / $" + variable.path("name").asText(),
                        "count by (" + call.group(2) + ") (" + substitute(call.group(1)) + ")"));
            }
        }
        return queries;
    }

    /** Every multi-value variable offers "All" with {@code .*}; Grafana's interval variables get their usual values. */
    static String substitute(String expr) {
        return expr.replace("$__rate_interval", RATE_INTERVAL)
                .replace("$__range", RANGE)
                .replaceAll("\\$\\{?(namespace|workload|route|spend_key)\\}?", ".*");
    }
}
