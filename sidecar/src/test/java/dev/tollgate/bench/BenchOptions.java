package dev.tollgate.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The benchmark's knobs; every one has a default, so {@code run.sh} needs none. Paths are relative to the repository. */
record BenchOptions(
        List<String> targets,
        int seconds,
        int warmupSeconds,
        List<Integer> rates,
        int connections,
        int wrkConnections,
        int streamRate,
        int tokens,
        long eventGapMicros,
        String nginxWorkers,
        Path sidecarJava,
        List<String> sidecarJvm,
        Path jar,
        Path nginxConf,
        Path json,
        Set<String> phases,
        List<Integer> clients,
        int clientSeconds,
        int longStreamChunks,
        int longStreamGapMillis,
        int candidateClients,
        List<String> candidates) {

    /**
     * The sidecar image's own flags, as a java {@code @argfile}: the benchmark measures what ships
     * (docs/benchmark.md says how they were chosen).
     */
    static final String DEFAULT_SIDECAR_JVM = "@sidecar/src/main/jvm/jvm.options";

    static final String USAGE = """
            usage: sidecar/bench/run.sh [--option value]...
              --targets LIST         which of direct,nginx,sidecar to measure (default: all three)
              --seconds N            length of each measured run (default 10)
              --warmup N             seconds of load on each target before measuring (default 10)
              --rates LIST           fixed non-streaming rates, requests/s (default 500,1000,2000)
              --connections N        keep-alive connections of the fixed-rate generator (default 32)
              --wrk-connections N    wrk connections for maximum throughput (default 64)
              --stream-rate N        streams per second (default 100)
              --tokens N             completion tokens per answer = content events per stream (default 16)
              --event-gap-us N       pause between a stream's events at the emulator, µs (default 500)
              --nginx-workers N      nginx worker_processes: a number or auto = one per core (default auto)
              --sidecar-java PATH    the java that runs the sidecar (default: the one running this harness)
              --sidecar-jvm FLAGS    JVM flags for the sidecar, @file for a java argfile (default: %s)
              --jar PATH             sidecar jar (default sidecar/target/tollgate-sidecar.jar)
              --nginx-conf PATH      nginx config template (default sidecar/bench/nginx.conf)
              --json PATH            where to write the results as JSON (default sidecar/target/bench/result.json)
              --phases LIST          which of rates,max,stream,concurrency,candidates to run (default: all)
              --clients LIST         concurrency phase: concurrent streaming clients (default 100,1000,2000)
              --client-seconds N     concurrency phase: length of each run (default 15)
              --long-stream-chunks N concurrency phase: chat chunks per stream (default 20)
              --long-stream-gap-ms N concurrency phase: pause between a stream's events, ms (default 200)
              --candidate-clients N  candidates phase: the same streams through a minimal proxy on each upstream
                                     client the sidecar could use (CandidateProxy), this many at once (default 1000)
              --candidates LIST      which of undertow,apache5,jdk to measure (default: all three)
            """.formatted(DEFAULT_SIDECAR_JVM);

    private static final int MAX_RATE = 20_000;
    private static final Set<String> ALL_TARGETS = Set.of(Report.DIRECT, Report.NGINX, Report.SIDECAR);
    static final String RATES = "rates";
    static final String MAXIMUM = "max";
    static final String STREAM = "stream";
    static final String CONCURRENCY = "concurrency";
    static final String CANDIDATES = "candidates";
    private static final List<String> ALL_PHASES = List.of(RATES, MAXIMUM, STREAM, CONCURRENCY, CANDIDATES);

    /** Throws IllegalArgumentException naming the bad option. */
    static BenchOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            given.put(args[i].substring(2), args[i + 1]);
        }
        Options o = new Options(given);
        List<String> targets = o.list("targets", "direct,nginx,sidecar");
        if (targets.isEmpty() || !ALL_TARGETS.containsAll(targets)) {
            throw new IllegalArgumentException("--targets: choose from direct, nginx, sidecar");
        }
        BenchOptions options = new BenchOptions(
                targets,
                o.positive("seconds", 10),
                o.positive("warmup", 10),
                o.list("rates", "500,1000,2000").stream().map(r -> positive("rates", r)).toList(),
                o.positive("connections", 32),
                o.positive("wrk-connections", 64),
                o.positive("stream-rate", 100),
                o.positive("tokens", 16),
                o.positive("event-gap-us", 500),
                o.text("nginx-workers", "auto"),
                Path.of(o.text("sidecar-java", Path.of(System.getProperty("java.home"), "bin", "java").toString())),
                o.words("sidecar-jvm", DEFAULT_SIDECAR_JVM),
                Path.of(o.text("jar", "sidecar/target/tollgate-sidecar.jar")),
                Path.of(o.text("nginx-conf", "sidecar/bench/nginx.conf")),
                Path.of(o.text("json", "sidecar/target/bench/result.json")),
                Set.copyOf(o.list("phases", String.join(",", ALL_PHASES))),
                o.list("clients", "100,1000,2000").stream().map(c -> positive("clients", c)).toList(),
                o.positive("client-seconds", 15),
                o.positive("long-stream-chunks", 20),
                o.positive("long-stream-gap-ms", 200),
                o.positive("candidate-clients", 1000),
                o.list("candidates", String.join(",", CandidateProxy.KINDS)));
        if (!CandidateProxy.KINDS.containsAll(options.candidates())) {
            throw new IllegalArgumentException("--candidates: choose from " + String.join(", ", CandidateProxy.KINDS));
        }
        if (!ALL_PHASES.containsAll(options.phases()) || options.longStreamChunks() < 3) {
            throw new IllegalArgumentException("--phases: choose from " + String.join(", ", ALL_PHASES)
                    + "; --long-stream-chunks: at least 3");
        }
        if (!options.nginxWorkers().matches("auto|[1-9][0-9]*")) {
            throw new IllegalArgumentException("--nginx-workers: a number or 'auto', not '" + options.nginxWorkers() + "'");
        }
        // Past this the generator, on the same two cores, would measure itself; the wrk run finds the maximum.
        if (options.streamRate() > MAX_RATE || options.rates().stream().anyMatch(r -> r > MAX_RATE)) {
            throw new IllegalArgumentException("--rates, --stream-rate: at most " + MAX_RATE + "/s");
        }
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown option --" + given.keySet().iterator().next());
        }
        return options;
    }

    String streamLoad() {
        return "stream " + streamRate + "/s";
    }

    private static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + ": '" + value + "' is not a positive whole number");
    }

    /** Takes options out of the given map as they are read, so what is left over is unknown. */
    private record Options(Map<String, String> given) {
        String text(String name, String fallback) {
            String value = given.remove(name);
            return value == null ? fallback : value;
        }

        int positive(String name, int fallback) {
            String value = given.remove(name);
            return value == null ? fallback : BenchOptions.positive(name, value);
        }

        List<String> words(String name, String fallback) {
            String text = text(name, fallback).trim();
            return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
        }

        List<String> list(String name, String fallback) {
            return Arrays.stream(text(name, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }
}
