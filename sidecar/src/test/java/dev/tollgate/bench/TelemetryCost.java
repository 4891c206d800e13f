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
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What OpenTelemetry export costs the sidecar: the same fixed-rate chat load through the sidecar's
 * jar with nothing exported, usage events only, and usage events with traces sampled at 10% and at
 * 100%, each exporting to a local OTLP sink that accepts and discards. Prints CPU per request and RSS after the load, and each mode's median over the rounds. Not a
 * test: {@code java -cp JAR:TEST_CLASSES dev.tollgate.bench.TelemetryCost [rate] [seconds] [rounds] [java]}
 * (docs/benchmark.md). Modes alternate round by round, so a drift in the shared machine touches each alike.
 */
public final class TelemetryCost {
    private static final String BODY = "{\"model\":\"" + SidecarLauncher.MODEL + "\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello.\"}],\"max_tokens\":16}";

    private TelemetryCost() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
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
        System.out.printf("rate %d/s for %d s per measurement, %d rounds, java %s, %d cores%n", rate, seconds, rounds, java,
                Runtime.getRuntime().availableProcessors());
        System.out.println("round  mode   ok      failed  cpu µs/req  rss MB after  machine busy before %");
        try {
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, Map<String, String>> mode : modes.entrySet()) {
                    int port = freePort();
                    double busy = 100 * ProcStats.machineBusyShare(Duration.ofSeconds(1));
                    SidecarLauncher.Started sidecar = SidecarLauncher.start(java, jar, jvm, mode.getValue(), workDir, port,
                            freePort(), upstreamPort);
                    try {
                        byte[] forPort = HttpConnection.request("POST", port, "/v1/chat/completions", BODY);
                        FixedRateLoad.run(port, forPort, rate, Duration.ofSeconds(seconds), 32); // warm-up: the JIT
                        long cpuBefore = proc.cpuNanos(sidecar.process().handle());
                        Map<String, Long> threadsBefore = proc.cpuNanosByThread(sidecar.process().handle());
                        FixedRateLoad.Result r = FixedRateLoad.run(port, forPort, rate, Duration.ofSeconds(seconds), 32);
                        double cpuPerRequest = (proc.cpuNanos(sidecar.process().handle()) - cpuBefore) / 1000.0 / r.ok();
                        threadLines.add(String.format("%-6d %-6s %s", round, mode.getKey(), perThread(threadsBefore,
                                proc.cpuNanosByThread(sidecar.process().handle()), r.ok())));
                        double rss = proc.rssBytes(sidecar.process().handle()) / 1024.0 / 1024.0;
                        System.out.printf("%-6d %-6s %-7d %-7d %-11.1f %-13.1f %.0f%n", round, mode.getKey(), r.ok(),
                                r.failed(), cpuPerRequest, rss, busy);
                        cpu.computeIfAbsent(mode.getKey(), m -> new ArrayList<>()).add(cpuPerRequest);
                        rssMb.computeIfAbsent(mode.getKey(), m -> new ArrayList<>()).add(rss);
                    } finally {
                        sidecar.process().stop();
                    }
                }
            }
            System.out.println("round  mode   cpu µs/req by thread (live threads; at least 2 µs)");
            threadLines.forEach(System.out::println);
            System.out.println("median  mode   cpu µs/req  vs off  vs events  rss MB  vs off  vs events");
            for (String mode : modes.keySet()) {
                double c = median(cpu.get(mode));
                double m = median(rssMb.get(mode));
                System.out.printf("        %-6s %-11.1f %+5.0f%%  %+7.0f%%  %-7.1f %+5.1f   %+5.1f%n", mode, c,
                        100 * (c / median(cpu.get("off")) - 1), 100 * (c / median(cpu.get("events")) - 1), m,
                        m - median(rssMb.get("off")), m - median(rssMb.get("events")));
            }
            System.out.printf("the sink accepted %d OTLP requests; logs in %s%n", exported.get(), workDir);
        } finally {
            upstream.stop();
            sink.stop(0);
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
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
