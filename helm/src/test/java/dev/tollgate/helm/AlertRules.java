package dev.tollgate.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The chart's alert rules, read as Prometheus reads the file. */
final class AlertRules {
    /** The threshold comparisons an alert expression ends with ({@code > 0.1}, {@code >= 0.8 < 1}). */
    private static final Pattern THRESHOLD = Pattern.compile("(\\s*(>=|<=|==|!=|>|<)\\s*[0-9.]+)+\\s*$");

    record Rule(String alert, String expr, JsonNode source) {
        /** The expression without its threshold: the figure the alert compares, there for every series. */
        String measured() {
            String measured = THRESHOLD.matcher(expr).replaceFirst("");
            if (measured.equals(expr.strip())) {
                throw new AssertionError(alert + " does not end in a threshold comparison: " + expr);
            }
            return measured;
        }
    }

    private AlertRules() {
    }

    static List<Rule> all() {
        JsonNode file;
        try {
            file = new YAMLMapper().readTree(ChartFiles.ALERT_RULES.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : file.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.add(new Rule(rule.path("alert").asText(), rule.path("expr").asText().strip(), rule));
            }
        }
        return rules;
    }
}
