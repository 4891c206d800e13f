package dev.tollgate.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What OpenTelemetry export costs the sidecar: the same fixed-rate chat load through the sidecar's
 * jar with nothing exported, usage events only, and usage events with traces sampled at 10% and at
 * 100%, each exporting to a local OTLP sink that accepts and discards. Prints CPU per request and RSS after the load. Not a
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
                        FixedRateLoad.run(port, forPort, rate, Duration.ofSeconds(10), 32); // warm-up: the JIT
                        long cpuBefore = proc.cpuNanos(sidecar.process().handle());
                        FixedRateLoad.Result r = FixedRateLoad.run(port, forPort, rate, Duration.ofSeconds(seconds), 32);
                        double cpuPerRequest = (proc.cpuNanos(sidecar.process().handle()) - cpuBefore) / 1000.0 / r.ok();
                        double rss = proc.rssBytes(sidecar.process().handle()) / 1024.0 / 1024.0;
                        System.out.printf("%-6d %-6s %-7d %-7d %-11.1f %-13.1f %.0f%n", round, mode.getKey(), r.ok(),
                                r.failed(), cpuPerRequest, rss, busy);
                    } finally {
                        sidecar.process().stop();
                    }
                }
            }
            System.out.printf("the sink accepted %d OTLP requests; logs in %s%n", exported.get(), workDir);
        } finally {
            upstream.stop();
            sink.stop(0);
        }
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
