package dev.tollgate.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.IntStream;

/**
 * What OpenTelemetry export costs the sidecar: the same fixed-rate chat load through four sidecars of
 * the jar, one with nothing exported, one with usage events only, and two with usage events and traces
 * sampled at 10% and at 100%, exporting to a local OTLP sink that accepts and discards. All four run
 * and are loaded at once, round after round, so each round's figures share one machine state: run one
 * after another, the same mode's CPU per request moved by up to 60% from run to run on this machine,
 * more than the differences measured. Prints CPU per request (in all, and by thread) and RSS after
 * the load, and each mode's median over the rounds, its differences taken within each round. Not a
 * test: {@code java -cp JAR:TEST_CLASSES dev.tollgate.bench.TelemetryCost [rate per sidecar] [seconds]
 * [rounds] [java]} (docs/benchmark.md).
 */
public final class TelemetryCost {
    private static final String BODY = "{\"model\":\"" + SidecarLauncher.MODEL + "\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello.\"}],\"max_tokens\":16}";

    private TelemetryCost() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path java = Path.of(args.length > 3 ? args[3] : Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path jar = Path.of("sidecar/target/tollgate-sidecar.jar");
        List<String> jvm = List.of("@sidecar/src/main/jvm/jvm.options");
        ProcStats proc = ProcStats.forThisMachine();
        Path workDir = Files.createTempDirectory("tollgate-otel-bench-");
        AtomicLong exported = new AtomicLong();
        HttpServer sink = sink(exported);
        String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort();
        Map<String, Map<String, String>> modes = new LinkedHashMap<>();
        modes.put("off", Map.of());
        modes.put("events", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_TRACES_EXPORTER", "none"));
        modes.put("10%", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
                "OTEL_TRACES_SAMPLER_ARG", "0.1"));
        modes.put("100%", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
                "OTEL_TRACES_SAMPLER_ARG", "1.0"));
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> rssMb = new LinkedHashMap<>();
        List<String> threadLines = new ArrayList<>();
        int upstreamPort = freePort();
        ChildProcess upstream = UpstreamEmulator.startProcess(workDir, upstreamPort, 16, 500,
                new UpstreamEmulator.LongStream(3, 1_000)); // long streams unused here
        System.out.printf("%d/s on each sidecar, all modes at once, %d s warm-up and %d s measured, %d rounds, java %s, %d cores%n",
                rate, seconds, seconds, rounds, java,
                Runtime.getRuntime().availableProcessors());
        System.out.println("round  mode   ok      failed  cpu µs/req  rss MB after  machine busy before %");
        try {
            for (int round = 1; round <= rounds; round++) {
                double busy = 100 * ProcStats.machineBusyShare(Duration.ofSeconds(1));
                Map<String, SidecarLauncher.Started> sidecars = new LinkedHashMap<>();
                Map<String, Integer> ports = new LinkedHashMap<>();
                try {
                    for (Map.Entry<String, Map<String, String>> mode : modes.entrySet()) {
                        int[] free = freePorts(); // the proxy's and the admin port, never one port twice
                        ports.put(mode.getKey(), free[0]);
                        sidecars.put(mode.getKey(), SidecarLauncher.start(java, jar, jvm, mode.getValue(), workDir, free[0],
                                free[1], upstreamPort));
                    }
                    Map<String, FixedRateLoad.Result> warmUp = loadAll(ports, rate, seconds); // the JITs
                    Map<String, Long> cpuBefore = new LinkedHashMap<>();
                    Map<String, Map<String, Long>> threadsBefore = new LinkedHashMap<>();
                    sidecars.forEach((mode, sidecar) -> {
                        cpuBefore.put(mode, proc.cpuNanos(sidecar.process().handle()));
                        threadsBefore.put(mode, proc.cpuNanosByThread(sidecar.process().handle()));
                    });
                    Map<String, FixedRateLoad.Result> results = loadAll(ports, rate, seconds);
                    for (Map.Entry<String, SidecarLauncher.Started> entry : sidecars.entrySet()) {
                        String mode = entry.getKey();
                        ProcessHandle handle = entry.getValue().process().handle();
                        FixedRateLoad.Result r = results.get(mode);
                        double cpuPerRequest = (proc.cpuNanos(handle) - cpuBefore.get(mode)) / 1000.0 / r.ok();
                        threadLines.add(String.format("%-6d %-6s %s", round, mode,
                                perThread(threadsBefore.get(mode), proc.cpuNanosByThread(handle), r.ok())));
                        double rss = proc.rssBytes(handle) / 1024.0 / 1024.0;
                        System.out.printf("%-6d %-6s %-7d %-7d %-11.1f %-13.1f %.0f%n", round, mode, r.ok(),
                                r.failed() + warmUp.get(mode).failed(), cpuPerRequest, rss, busy);
                        cpu.computeIfAbsent(mode, m -> new ArrayList<>()).add(cpuPerRequest);
                        rssMb.computeIfAbsent(mode, m -> new ArrayList<>()).add(rss);
                    }
                } finally {
                    for (SidecarLauncher.Started sidecar : sidecars.values()) {
                        sidecar.process().stop();
                    }
                }
            }
            System.out.println("round  mode   cpu µs/req by thread (live threads; at least 2 µs)");
            threadLines.forEach(System.out::println);
            // Each round's modes met the same machine: compare within a round, then take the median over rounds.
            System.out.println("median  mode   cpu µs/req  vs off  vs events  rss MB  vs off  vs events");
            for (String mode : modes.keySet()) {
                System.out.printf("        %-6s %-11.1f %+5.1f%%  %+7.1f%%  %-7.1f %+5.1f   %+5.1f%n", mode, median(cpu.get(mode)),
                        100 * median(perRound(cpu, mode, "off", (a, b) -> a / b - 1)),
                        100 * median(perRound(cpu, mode, "events", (a, b) -> a / b - 1)), median(rssMb.get(mode)),
                        median(perRound(rssMb, mode, "off", (a, b) -> a - b)),
                        median(perRound(rssMb, mode, "events", (a, b) -> a - b)));
            }
            System.out.printf("the sink accepted %d OTLP requests; logs in %s%n", exported.get(), workDir);
        } finally {
            upstream.stop();
            sink.stop(0);
        }
    }

    /** The same fixed-rate load on every sidecar at once, so each meets the same machine. */
    private static Map<String, FixedRateLoad.Result> loadAll(Map<String, Integer> ports, int rate, int seconds)
            throws Exception {
        ExecutorService loads = Executors.newFixedThreadPool(ports.size());
        try {
            Map<String, Future<FixedRateLoad.Result>> running = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> port : ports.entrySet()) {
                byte[] request = HttpConnection.request("POST", port.getValue(), "/v1/chat/completions", BODY);
                running.put(port.getKey(), loads.submit(() -> FixedRateLoad.run(port.getValue(), request, rate,
                        Duration.ofSeconds(seconds), 32)));
            }
            Map<String, FixedRateLoad.Result> results = new LinkedHashMap<>();
            for (Map.Entry<String, Future<FixedRateLoad.Result>> r : running.entrySet()) {
                results.put(r.getKey(), r.getValue().get());
            }
            return results;
        } finally {
            loads.shutdown();
        }
    }

    private static String perThread(Map<String, Long> before, Map<String, Long> after, long requests) {
        StringBuilder line = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1000.0 / requests))
                .filter(e -> e.getValue() >= 2)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> line.append(String.format("%s %.0f, ", e.getKey(), e.getValue())));
        return line.toString();
    }

    private static List<Double> perRound(Map<String, List<Double>> figures, String mode, String base,
                                         DoubleBinaryOperator compare) {
        List<Double> ofMode = figures.get(mode);
        List<Double> ofBase = figures.get(base);
        return IntStream.range(0, ofMode.size()).mapToObj(i -> compare.applyAsDouble(ofMode.get(i), ofBase.get(i))).toList();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A collector stand-in: reads each export and answers 200 with an empty protobuf body. */
    private static HttpServer sink(AtomicLong exported) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exported.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "otlp-sink");
            thread.setDaemon(true); // the run ends when the rounds do
            return thread;
        }));
        server.start();
        return server;
    }

    private static int freePort() throws IOException {
        return freePorts()[0];
    }

    /** Two ports free now, held open together while they are picked, so they differ. */
    private static int[] freePorts() throws IOException {
        try (ServerSocket one = new ServerSocket(0); ServerSocket two = new ServerSocket(0)) {
            return new int[] {one.getLocalPort(), two.getLocalPort()};
        }
    }
}
