package dev.tollgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maximum throughput with {@code wrk} (closed loop: each connection sends its next request as
 * soon as the last answer arrived). A C load generator leaves more of the two cores to the
 * target than a Java one would.
 */
final class Wrk {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** One run; latencies are wrk's own percentiles over all requests. */
    record Result(long requests, double seconds, long failed, Latency latency) {
        double throughput() {
            return requests / seconds;
        }
    }

    private final Path script;

    /** Writes the Lua script that makes wrk send {@code jsonBody} as a POST. */
    Wrk(Path workDir, String jsonBody) throws IOException {
        if (jsonBody.contains("]]")) {
            throw new IllegalArgumentException("the body cannot be a Lua long string");
        }
        script = workDir.resolve("chat.lua");
        Files.writeString(script, "wrk.method = \"POST\"\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.body = [[" + jsonBody + "]]\n");
    }

    Result run(int port, String path, int connections, Duration duration) throws IOException, InterruptedException {
        List<String> command = List.of("wrk", "-t1", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--latency", "-s", script.toString(), "http://127.0.0.1:" + port + path);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IOException("wrk failed:\n" + out);
        }
        return parse(out);
    }

    static Result parse(String out) throws IOException {
        Matcher requests = find(REQUESTS, out, "request count");
        long failed = 0;
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            failed += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(out);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                failed += Long.parseLong(socket.group(g));
            }
        }
        // "Latency   avg   stdev   max   +/- stdev", then the "Latency Distribution" lines.
        Matcher max = find(Pattern.compile("^[ \\t]*Latency[ \\t]+\\S+[ \\t]+\\S+[ \\t]+([\\d.]+)(us|ms|s|m)[ \\t]", Pattern.MULTILINE),
                out, "maximum latency");
        Latency latency = new Latency(percentile(out, "50%"), percentile(out, "99%"),
                Math.round(nanos(max.group(1), max.group(2))));
        return new Result(Long.parseLong(requests.group(1)),
                nanos(requests.group(2), requests.group(3)) / 1e9, failed, latency);
    }

    private static long percentile(String out, String label) throws IOException {
        Matcher m = find(Pattern.compile("^[ \\t]*" + label + "[ \\t]+([\\d.]+)(us|ms|s|m)[ \\t]*$", Pattern.MULTILINE),
                out, label + " latency");
        return Math.round(nanos(m.group(1), m.group(2)));
    }

    private static double nanos(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> v * 1e3;
            case "ms" -> v * 1e6;
            case "s" -> v * 1e9;
            case "m" -> v * 60e9;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }

    private static Matcher find(Pattern pattern, String out, String what) throws IOException {
        Matcher m = pattern.matcher(out);
        if (!m.find()) {
            throw new IOException("no " + what + " in wrk's output:\n" + out);
        }
        return m;
    }
}
