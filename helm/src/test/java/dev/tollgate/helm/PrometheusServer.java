package dev.tollgate.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus} package) in its own process: its own configuration,
 * a temporary TSDB, loopback only, scraping and evaluating rules every second. Never the packaged service.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEBIAN_BINARY = Path.of("/usr/bin/prometheus");

    /** One scrape job: a loopback port, the target labels Kubernetes discovery would attach, honor_labels or not. */
    record ScrapeJob(String name, int port, Map<String, String> labels, boolean honorLabels) {
    }

    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    static PrometheusServer start(Path dir, Path ruleFile, List<ScrapeJob> jobs) throws IOException {
        Path binary = binary();
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        new YAMLMapper().writeValue(config.toFile(), config(ruleFile, jobs));
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, log, port);
        server.awaitReady();
        return server;
    }

    /** Where the package puts it, or the first on PATH; missing is a failure (CI installs it), never a skip. */
    private static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "prometheus");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return DEBIAN_BINARY;
        }
        throw new AssertionError("Prometheus is not installed: the dashboard and alert tests need a real one. "
                + "Install Debian's package (`sudo apt-get install prometheus`; .ci/run does it on CI).");
    }

    private static Map<String, Object> config(Path ruleFile, List<ScrapeJob> jobs) {
        List<Map<String, Object>> scrapes = new ArrayList<>();
        for (ScrapeJob job : jobs) {
            Map<String, Object> scrape = new LinkedHashMap<>();
            scrape.put("job_name", job.name());
            scrape.put("honor_labels", job.honorLabels());
            scrape.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + job.port()), "labels", job.labels())));
            scrapes.add(scrape);
        }
        return Map.of(
                // Every second, so a test of a few seconds has several samples of every series.
                "global", Map.of("scrape_interval", "1s", "scrape_timeout", "1s", "evaluation_interval", "1s"),
                "rule_files", List.of(ruleFile.toString()),
                "scrape_configs", scrapes);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Still starting.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause();
        }
        throw new AssertionError("prometheus not ready after 30 s:\n" + log());
    }

    /** Waits until every configured target was scraped successfully. */
    void awaitTargetsUp(int targets) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode up = query("up == 1");
        while (up.size() < targets && System.nanoTime() < deadline) {
            pause();
            up = query("up == 1");
        }
        if (up.size() < targets) {
            throw new AssertionError("targets not up after 20 s: " + api("/api/v1/targets").path("activeTargets"));
        }
    }

    /** An instant query's result vector (or scalar as one element) now; an invalid query fails with Prometheus' message. */
    JsonNode query(String promql) {
        return query(promql, Instant.now());
    }

    /** The same at a given time, so every query sees the same moment whenever it is asked. */
    JsonNode query(String promql, Instant at) {
        JsonNode data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + at.getEpochSecond() + "." + String.format("%03d", at.getNano() / 1_000_000));
        JsonNode result = data.path("result");
        return data.path("resultType").asText().equals("scalar") ? JSON.createArrayNode().add(result) : result;
    }

    /** The rule groups as loaded, each rule with its health and state. */
    JsonNode ruleGroups() {
        return api("/api/v1/rules").path("groups");
    }

    private JsonNode api(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (!body.path("status").asText().equals("success")) {
                throw new AssertionError(pathAndQuery + " failed: " + body.path("errorType").asText() + ": " + body.path("error").asText());
            }
            return body.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
