package dev.tollgate.bench;

import dev.tollgate.bench.Measurement.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/**
 * The benchmark: the same chat request sent straight to the upstream emulator, through nginx and
 * through the sidecar, in one run on one machine. Loads run one after the other, every target
 * in turn for each load, so a drift in the machine touches all three alike. Not a test: run it
 * with {@code sidecar/bench/run.sh} (see docs/benchmark.md).
 */
public final class BenchMain {
    private static final String PATH = "/v1/chat/completions";
    private static final String CHAT = "{\"model\":\"" + SidecarLauncher.MODEL + "\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello.\"}],\"max_tokens\":16";
    private static final String CHAT_BODY = CHAT + "}";
    private static final String STREAM_BODY = CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    private static final String LONG_STREAM_BODY = "{\"model\":\"" + SidecarLauncher.LONG_STREAM_MODEL + "\",\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"max_tokens\":64,\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true}}";
    /** Streams still running when a concurrency run ends get this long to finish. */
    private static final Duration CONCURRENCY_GRACE = Duration.ofSeconds(15);
    private static final long RSS_SAMPLE_MILLIS = 200;
    private static final Duration PAUSE = Duration.ofMillis(500);

    private final BenchOptions options;
    private final ProcStats proc;
    private final PrintStream progress = System.err;

    /** A place the load is sent: {@code process} is the proxy whose CPU and memory it costs, null for direct. */
    private record Target(String name, int port, ProcessHandle process) {
    }

    private BenchMain(BenchOptions options, ProcStats proc) {
        this.options = options;
        this.proc = proc;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new BenchMain(options, ProcStats.forThisMachine()).run());
    }

    /** Returns the exit status: 0, or 1 when requests failed (the figures then mean little). */
    private int run() throws Exception {
        Path workDir = Files.createTempDirectory("tollgate-bench-");
        List<ChildProcess> started = new ArrayList<>();
        try {
            int upstreamPort = freePort();
            started.add(UpstreamEmulator.startProcess(workDir, upstreamPort, options.tokens(), options.eventGapMicros(),
                    new UpstreamEmulator.LongStream(options.longStreamChunks(), options.longStreamGapMillis())));
            List<Target> targets = new ArrayList<>();
            Report report = new Report(setup());
            for (String name : options.targets()) {
                targets.add(switch (name) {
                    case Report.DIRECT -> new Target(name, upstreamPort, null);
                    case Report.NGINX -> {
                        int port = freePort();
                        ChildProcess nginx = Nginx.start(options.nginxConf(), workDir, port, upstreamPort,
                                options.nginxWorkers());
                        started.add(nginx);
                        yield new Target(name, port, nginx.handle());
                    }
                    default -> {
                        int port = freePort();
                        SidecarLauncher.Started sidecar = SidecarLauncher.start(options.sidecarJava(), options.jar(),
                                options.sidecarJvm(), workDir, port, freePort(), upstreamPort);
                        started.add(sidecar.process());
                        report.sidecarStartup(sidecar.startup());
                        yield new Target(name, port, sidecar.process().handle());
                    }
                });
            }
            for (Target target : targets) {
                verifyAnswers(target);
                if (target.process() != null) {
                    report.rssAtStart(target.name(), proc.rssBytes(target.process()));
                }
            }
            measure(targets, report, workDir);
            if (phase(BenchOptions.CANDIDATES)) {
                candidates(upstreamPort, report, workDir);
            }
            for (Target target : targets) {
                if (target.process() != null) {
                    report.rssAfterLoad(target.name(), proc.rssBytes(target.process()));
                }
            }
            List<PerformanceTargets.Check> checks = PerformanceTargets.evaluate(report, options.streamLoad());
            report.print(System.out, checks);
            report.writeJson(options.json(), checks);
            System.out.println("\nJSON: " + options.json() + "   logs: " + workDir);
            return report.anyFailed() ? 1 : 0;
        } finally {
            Collections.reverse(started);
            for (ChildProcess process : started) {
                process.stop();
            }
        }
    }

    private void measure(List<Target> targets, Report report, Path workDir) throws Exception {
        Duration warmup = Duration.ofSeconds(options.warmupSeconds());
        int warmupRate = Collections.max(options.rates());
        for (Target target : phase(BenchOptions.RATES) || phase(BenchOptions.MAXIMUM) || phase(BenchOptions.STREAM)
                ? targets : List.<Target>of()) {
            // The JIT compiles the sidecar's hot paths during this; the others get the same, for fairness.
            progress.printf("warming up %s: %d/s for %ds, then streams%n", target.name(), warmupRate, warmup.toSeconds());
            warnOfFailures(fixedRate(target, Kind.FIXED_RATE, "warm-up", warmupRate, warmup));
            warnOfFailures(fixedRate(target, Kind.STREAMING, "stream warm-up", options.streamRate(),
                    Duration.ofSeconds(Math.min(3, options.warmupSeconds()))));
        }
        Duration run = Duration.ofSeconds(options.seconds());
        for (int rate : phase(BenchOptions.RATES) ? options.rates() : List.<Integer>of()) {
            for (Target target : targets) {
                progress.printf("measuring %s at %d/s%n", target.name(), rate);
                report.add(fixedRate(target, Kind.FIXED_RATE, rate + "/s", rate, run));
            }
        }
        Wrk wrk = new Wrk(workDir, CHAT_BODY);
        for (Target target : phase(BenchOptions.MAXIMUM) ? targets : List.<Target>of()) {
            progress.printf("measuring %s at maximum throughput%n", target.name());
            report.add(maximum(target, wrk, run));
        }
        for (Target target : phase(BenchOptions.STREAM) ? targets : List.<Target>of()) {
            progress.printf("measuring %s streaming at %d/s%n", target.name(), options.streamRate());
            report.add(fixedRate(target, Kind.STREAMING, options.streamLoad(), options.streamRate(), run));
        }
        for (int clients : phase(BenchOptions.CONCURRENCY) ? options.clients() : List.<Integer>of()) {
            for (Target target : targets) {
                progress.printf("measuring %s with %d concurrent streaming clients%n", target.name(), clients);
                report.add(concurrent(target, clients));
            }
        }
    }

    /**
     * The same long streams through {@link CandidateProxy} on each upstream client, one after the
     * other, each in its own JVM with the sidecar's java and flags.
     */
    private void candidates(int upstreamPort, Report report, Path workDir) throws IOException, InterruptedException {
        for (String kind : options.candidates()) {
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(options.sidecarJava().toString());
            command.addAll(options.sidecarJvm());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), CandidateProxy.class.getName(), kind,
                    Integer.toString(port), Integer.toString(upstreamPort)));
            ChildProcess proxy = ChildProcess.start("candidate-" + kind, command, workDir);
            try {
                proxy.awaitReady(port, null, Duration.ofSeconds(30));
                Target target = new Target(kind, port, proxy.handle());
                progress.printf("measuring the %s candidate with %d concurrent streaming clients%n", kind,
                        options.candidateClients());
                report.add(concurrent(target, options.candidateClients()));
            } finally {
                proxy.stop();
            }
        }
    }

    private boolean phase(String name) {
        return options.phases().contains(name);
    }

    /** A fixed pool of clients streaming long answers; the proxy's peak RSS is sampled meanwhile. */
    private Report.Concurrency concurrent(Target target, int clients) throws IOException, InterruptedException {
        byte[] request = HttpConnection.request("POST", target.port(), PATH, LONG_STREAM_BODY);
        long cpuBefore = cpuNanos(target);
        AtomicLong peakRss = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        if (target.process() != null) {
            sampler.scheduleAtFixedRate(() -> peakRss.accumulateAndGet(proc.rssBytes(target.process()), Math::max),
                    0, RSS_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        }
        ConcurrentStreams.Result r;
        try {
            r = ConcurrentStreams.run(target.port(), request, clients, Duration.ofSeconds(options.clientSeconds()),
                    CONCURRENCY_GRACE);
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
        Double cpu = cpuMicrosPerRequest(target, cpuBefore, r.streams());
        // Connections closed, threads idle: the next run starts from a settled process.
        Thread.sleep(5 * PAUSE.toMillis());
        return new Report.Concurrency(target.name(), clients, r.streams(), r.failed(), r.perSecond(), r.firstByte(), cpu,
                target.process() == null ? null : peakRss.get(), r.firstError());
    }

    private Measurement fixedRate(Target target, Kind kind, String load, int rate, Duration duration)
            throws IOException, InterruptedException {
        byte[] request = HttpConnection.request("POST", target.port(), PATH,
                kind == Kind.STREAMING ? STREAM_BODY : CHAT_BODY);
        long cpuBefore = cpuNanos(target);
        FixedRateLoad.Result r = FixedRateLoad.run(target.port(), request, rate, duration, options.connections());
        Double cpu = cpuMicrosPerRequest(target, cpuBefore, r.ok());
        Thread.sleep(PAUSE.toMillis());
        return new Measurement(kind, load, target.name(), r.ok(), r.failed() + r.dropped(), r.throughput(),
                r.total(), r.firstByte(), cpu, r.firstError() != null ? r.firstError()
                : r.dropped() > 0 ? r.dropped() + " requests not sent: the target fell too far behind" : null);
    }

    private Measurement maximum(Target target, Wrk wrk, Duration duration)
            throws IOException, InterruptedException {
        long cpuBefore = cpuNanos(target);
        Wrk.Result r = wrk.run(target.port(), PATH, options.wrkConnections(), duration);
        Double cpu = cpuMicrosPerRequest(target, cpuBefore, r.requests());
        Thread.sleep(PAUSE.toMillis());
        return new Measurement(Kind.MAXIMUM, "max", target.name(), r.requests() - r.failed(), r.failed(),
                r.throughput(), r.latency(), null, cpu, r.failed() > 0 ? "wrk counted failed requests" : null);
    }

    private long cpuNanos(Target target) {
        return target.process() == null ? 0 : proc.cpuNanos(target.process());
    }

    private Double cpuMicrosPerRequest(Target target, long cpuBefore, long requests) {
        if (target.process() == null || requests == 0) {
            return null;
        }
        return (proc.cpuNanos(target.process()) - cpuBefore) / 1000.0 / requests;
    }

    /** A slow warm-up is worth knowing about but is no reason to stop: the measured runs report it. */
    private void warnOfFailures(Measurement warmup) {
        if (warmup.failed() > 0) {
            progress.printf("  %s %s: %d requests failed, first: %s%n", warmup.target(), warmup.load(), warmup.failed(),
                    warmup.firstError());
        }
    }

    /**
     * One plain and one streamed request before any load: a target that answers wrongly would
     * make every figure meaningless, however fast.
     */
    private void verifyAnswers(Target target) throws IOException {
        Pattern completion = Pattern.compile("\"object\"\\s*:\\s*\"chat\\.completion\"");
        Pattern usage = Pattern.compile("\"completion_tokens\"\\s*:\\s*" + options.tokens() + "\\b");
        String answer = exchange(target, CHAT_BODY);
        if (!completion.matcher(answer).find() || !usage.matcher(answer).find()) {
            throw new IOException(target.name() + " did not answer with a chat.completion carrying its usage: "
                    + answer);
        }
        Pattern chunk = Pattern.compile("\"object\"\\s*:\\s*\"chat\\.completion\\.chunk\"");
        String stream = exchange(target, STREAM_BODY);
        if (!chunk.matcher(stream).find() || !usage.matcher(stream).find()
                || !stream.stripTrailing().endsWith("data: [DONE]")) {
            throw new IOException(target.name() + " did not stream chunks, usage and [DONE]: " + stream);
        }
    }

    private static String exchange(Target target, String body) throws IOException {
        try (HttpConnection connection = new HttpConnection(target.port(), Duration.ofSeconds(10))) {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            int status = connection.exchange(HttpConnection.request("POST", target.port(), PATH, body), answer).status();
            String text = answer.toString(StandardCharsets.UTF_8);
            if (status != 200) {
                throw new IOException(target.name() + " answered HTTP " + status + ": " + text);
            }
            return text;
        }
    }

    private List<String> setup() throws IOException, InterruptedException {
        String nginx = options.targets().contains(Report.NGINX)
                ? "; " + nginxVersion() + " (worker_processes " + options.nginxWorkers() + ")" : "";
        return List.of(
                String.format(Locale.ROOT, "Tollgate benchmark: %d cores, %s; Java %s%s",
                        Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                        nginx),
                String.format(Locale.ROOT, "each run %ds after %ds warm-up; fixed rates over %d keep-alive connections; "
                                + "wrk -t1 -c%d; streams of %d tokens, events %d µs apart",
                        options.seconds(), options.warmupSeconds(), options.connections(), options.wrkConnections(),
                        options.tokens(), options.eventGapMicros()),
                String.format(Locale.ROOT, "concurrency: %s clients, %ds each; streams of %d chunks %d ms apart",
                        options.clients().stream().map(String::valueOf).collect(Collectors.joining(",")),
                        options.clientSeconds(), options.longStreamChunks(), options.longStreamGapMillis()),
                "sidecar JVM: " + javaVersion(options.sidecarJava()) + "; flags: "
                        + String.join(" ", ArgFiles.expand(options.sidecarJvm())),
                // Anything else running on the machine skews every figure; this shows whether something was.
                String.format(Locale.ROOT, "machine busy before the run: %.0f%% of its CPU",
                        100 * ProcStats.machineBusyShare(Duration.ofSeconds(1))));
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown CPU");
    }

    /** The runtime line of {@code java -version}, e.g. "OpenJDK Runtime Environment Temurin-25.0.3+9 (build ...)". */
    private static String javaVersion(Path java) throws IOException, InterruptedException {
        Process version = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        List<String> lines = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        version.waitFor();
        return lines.size() > 1 ? lines.get(1) : String.join(" ", lines);
    }

    private static String nginxVersion() throws IOException, InterruptedException {
        Process nginx = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
        String out = new String(nginx.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        nginx.waitFor();
        return out.replace("nginx version: ", "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
