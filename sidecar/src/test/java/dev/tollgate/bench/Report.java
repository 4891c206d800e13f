package dev.tollgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tollgate.bench.Measurement.Kind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** Everything one run measured, printed as tables (latency in ms, CPU in µs) and written as JSON. */
final class Report {
    static final String DIRECT = "direct";
    static final String NGINX = "nginx";
    static final String SIDECAR = "sidecar";

    private final List<String> setup;
    private final List<Measurement> measurements = new ArrayList<>();
    private final Map<String, Long> rssAtStart = new LinkedHashMap<>();
    private final Map<String, Long> rssAfterLoad = new LinkedHashMap<>();
    private final List<Concurrency> concurrency = new ArrayList<>();
    private Duration sidecarStartup;

    /**
     * One target under a fixed pool of streaming clients.
     *
     * @param cpuMicrosPerStream the proxy's CPU over the run per ended stream; null for the direct call
     * @param peakRssBytes       the proxy's highest VmRSS sampled during the run; null for the direct call
     */
    record Concurrency(String target, int clients, long streams, long failed, double streamsPerSecond, Latency firstByte,
                       Double cpuMicrosPerStream, Long peakRssBytes, String firstError) {
    }

    /** @param setup lines that say what ran where, printed above the tables */
    Report(List<String> setup) {
        this.setup = List.copyOf(setup);
    }

    void add(Measurement measurement) {
        measurements.add(measurement);
    }

    void add(Concurrency result) {
        concurrency.add(result);
    }

    Optional<Concurrency> concurrency(String target, int clients) {
        return concurrency.stream().filter(c -> c.target().equals(target) && c.clients() == clients).findFirst();
    }

    void rssAtStart(String target, long bytes) {
        rssAtStart.put(target, bytes);
    }

    void rssAfterLoad(String target, long bytes) {
        rssAfterLoad.put(target, bytes);
    }

    void sidecarStartup(Duration startup) {
        sidecarStartup = startup;
    }

    Optional<Measurement> find(Kind kind, String load, String target) {
        return measurements.stream()
                .filter(m -> m.kind() == kind && m.load().equals(load) && m.target().equals(target))
                .findFirst();
    }

    Optional<Long> rssAfterLoad(String target) {
        return Optional.ofNullable(rssAfterLoad.get(target));
    }

    Optional<Duration> sidecarStartup() {
        return Optional.ofNullable(sidecarStartup);
    }

    boolean anyFailed() {
        return measurements.stream().anyMatch(m -> m.failed() > 0) || concurrency.stream().anyMatch(c -> c.failed() > 0);
    }

    void print(PrintStream out, List<PerformanceTargets.Check> checks) {
        setup.forEach(out::println);
        out.println();
        out.println("Non-streaming, open loop at fixed rates; latency from the intended send time, "
                + "'+' = added over the direct call");
        out.println(row("load", "target", "ok/s", "p50 ms", "p99 ms", "max ms", "+p50 ms", "+p99 ms",
                "CPU µs/req", "failed"));
        for (Measurement m : of(Kind.FIXED_RATE)) {
            Optional<Measurement> direct = find(m.kind(), m.load(), DIRECT);
            out.println(row(m.load(), m.target(), rate(m.throughput()), ms(m.total().p50()), ms(m.total().p99()),
                    ms(m.total().max()), added(m, direct, Measurement::total, Latency::p50),
                    added(m, direct, Measurement::total, Latency::p99), cpu(m), Long.toString(m.failed())));
        }
        out.println();
        out.println("Maximum throughput: wrk, closed loop");
        out.println(row("load", "target", "ok/s", "p50 ms", "p99 ms", "max ms", "CPU µs/req", "failed"));
        for (Measurement m : of(Kind.MAXIMUM)) {
            out.println(row(m.load(), m.target(), rate(m.throughput()), ms(m.total().p50()), ms(m.total().p99()),
                    ms(m.total().max()), cpu(m), Long.toString(m.failed())));
        }
        out.println();
        out.println("Streaming, open loop; TTFB = first body byte, TTLB = last byte ('+' = over direct)");
        out.println(row("load", "target", "TTFB p50", "TTFB p99", "TTLB p50", "TTLB p99", "+TTFB p50",
                "+TTLB p50", "+TTLB p99", "CPU µs/str", "failed"));
        for (Measurement m : of(Kind.STREAMING)) {
            Optional<Measurement> direct = find(m.kind(), m.load(), DIRECT);
            out.println(row(m.load(), m.target(), ms(m.firstByte().p50()), ms(m.firstByte().p99()),
                    ms(m.total().p50()), ms(m.total().p99()), added(m, direct, Measurement::firstByte, Latency::p50),
                    added(m, direct, Measurement::total, Latency::p50), added(m, direct, Measurement::total, Latency::p99),
                    cpu(m), Long.toString(m.failed())));
        }
        out.println();
        if (!concurrency.isEmpty()) {
            out.println("Concurrent streams: a fixed pool of clients, each starting its next stream when one ends; "
                    + "TTFB = first byte of the answer");
            out.println(row("clients", "target", "streams/s", "TTFB p50", "TTFB p99", "CPU µs/str", "peak RSS", "failed"));
            for (Concurrency c : concurrency) {
                out.println(row(Integer.toString(c.clients()), c.target(), rate(c.streamsPerSecond()),
                        ms(c.firstByte().p50()), ms(c.firstByte().p99()),
                        c.cpuMicrosPerStream() == null ? "-" : String.format(Locale.ROOT, "%.0f", c.cpuMicrosPerStream()),
                        c.peakRssBytes() == null ? "-" : String.format(Locale.ROOT, "%.1f MB", mb(c.peakRssBytes())),
                        Long.toString(c.failed())));
            }
            out.println();
        }
        out.println("Memory (VmRSS, MB; nginx: master + workers) and startup (exec to /readyz 200)");
        for (String target : rssAtStart.keySet()) {
            out.printf(Locale.ROOT, "%-8s  at start %6.1f   after load %6.1f%s%n", target, mb(rssAtStart.get(target)),
                    mb(rssAfterLoad.getOrDefault(target, 0L)),
                    target.equals(SIDECAR) && sidecarStartup != null
                            ? "   startup " + sidecarStartup.toMillis() + " ms" : "");
        }
        out.println();
        out.println("Targets (DESIGN.md section 10: the sidecar against nginx in this run)");
        if (checks.isEmpty()) {
            out.println("  none checked: the sidecar was not measured");
        }
        for (PerformanceTargets.Check check : checks) {
            out.println((check.pass() ? "  PASS  " : "  MISS  ") + check.what() + ": " + check.detail());
        }
        concurrency.stream().filter(c -> c.firstError() != null).forEach(c -> out.println(
                "FAILED  " + c.target() + " " + c.clients() + " clients: " + c.failed() + " failed, first: " + c.firstError()));
        measurements.stream().filter(m -> m.firstError() != null).forEach(m -> out.println(
                "FAILED  " + m.target() + " " + m.load() + ": " + m.failed() + " failed, first: " + m.firstError()));
    }

    void writeJson(Path file, List<PerformanceTargets.Check> checks) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("setup", setup);
        json.put("latencyUnit", "ns");
        json.put("measurements", measurements);
        json.put("concurrency", concurrency);
        json.put("rssBytesAtStart", rssAtStart);
        json.put("rssBytesAfterLoad", rssAfterLoad);
        json.put("sidecarStartupMillis", sidecarStartup == null ? null : sidecarStartup.toMillis());
        json.put("checks", checks);
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private List<Measurement> of(Kind kind) {
        return measurements.stream().filter(m -> m.kind() == kind).toList();
    }

    /** Load and target left-aligned, then right-aligned figures. */
    private static String row(String... cells) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s %-8s", cells[0], cells[1]));
        for (int i = 2; i < cells.length; i++) {
            sb.append(String.format(Locale.ROOT, " %10s", cells[i]));
        }
        return sb.toString().stripTrailing();
    }

    /** What a target adds over the direct call at one percentile; "-" for the direct call itself. */
    private static String added(Measurement m, Optional<Measurement> direct, Function<Measurement, Latency> which,
                                ToLongFunction<Latency> percentile) {
        return direct.filter(d -> !d.target().equals(m.target()))
                .map(d -> signedMs(percentile.applyAsLong(which.apply(m)) - percentile.applyAsLong(which.apply(d))))
                .orElse("-");
    }

    private static String cpu(Measurement m) {
        return m.cpuMicrosPerRequest() == null ? "-" : String.format(Locale.ROOT, "%.1f", m.cpuMicrosPerRequest());
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static String signedMs(long nanos) {
        return String.format(Locale.ROOT, "%+.3f", nanos / 1e6);
    }

    static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
