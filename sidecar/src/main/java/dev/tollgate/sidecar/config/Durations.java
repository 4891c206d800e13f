package dev.tollgate.sidecar.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes-style duration strings: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1m30s}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    public static long toMillis(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(field + ": empty duration");
        }
        Matcher m = PART.matcher(text.trim());
        long total = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            end = m.end();
        }
        if (end == 0 || end != text.trim().length()) {
            throw new ConfigException(field + ": '" + text + "' is not a duration like 250ms, 30s or 5m");
        }
        return total;
    }
}
