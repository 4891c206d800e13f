package dev.tollgate.operator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.control.ControlSettings;
import dev.tollgate.sidecar.control.InClusterSidecar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * One application pod's sidecar in in-cluster mode (the real one, in this JVM): its ServiceAccount token
 * file, state directory and usage-line file, and a client for its proxy and admin ports.
 */
final class SidecarPod implements AutoCloseable {
    static final String NAMESPACE = "team-a";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final String name;
    final int replica;
    private final Path tokenFile;
    private final Path usage;
    private final InClusterSidecar sidecar;
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private boolean closed;

    /** A usage line, as a user reads it from the sidecar's log. */
    record UsageLine(String spendKey, int status, long costMicros) {
    }

    private SidecarPod(String name, int replica, Path tokenFile, Path usage, InClusterSidecar sidecar) {
        this.name = name;
        this.replica = replica;
        this.tokenFile = tokenFile;
        this.usage = usage;
        this.sidecar = sidecar;
    }

    /**
     * Starts the sidecar of pod {@code name} talking to the operator replica at {@code controlUrl}, with the
     * projected token {@code token}; returns once it is ready (configured by the operator).
     */
    static SidecarPod start(String name, int replica, String token, URI controlUrl, String caPem, Path dir, Clock clock)
            throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Path tokenFile = Files.writeString(home.resolve("token"), token + "\n");
        Path usage = home.resolve("usage.jsonl");
        SidecarSettings settings = SidecarSettings.defaults().withPorts(0, 0).withUsageLog(usage)
                .withIdentity(NAMESPACE, name, "bot", Map.of("app", "bot"));
        ControlSettings control = new ControlSettings(controlUrl, caPem, tokenFile, home.resolve("state"), Duration.ofSeconds(5));
        SidecarPod pod = new SidecarPod(name, replica, tokenFile, usage, InClusterSidecar.start(settings, control, clock));
        Awaitility.await(name + " ready").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> pod.get("/readyz").statusCode() == 200);
        return pod;
    }

    /** The chat completion {@link LeaseCluster#CHAT}, sent with spend key {@code key}'s token as the OpenAI SDKs send it. */
    HttpResponse<String> chat(SpendKeyRef key) {
        try {
            return chatAsync(key).join();
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + ": the request failed", e);
        }
    }

    /**
     * Sends requests with {@code key} until {@code count} were served, retrying refusals as the OpenAI SDKs retry a
     * 429: a sidecar's first request on a key waits at most 1 s for the key's first grant, and an operator slowed
     * by a busy machine can take longer.
     */
    void serve(SpendKeyRef key, int count) {
        int served = 0;
        for (int attempt = 0; served < count && attempt < count + 5; attempt++) {
            HttpResponse<String> answer = chat(key);
            if (answer.statusCode() == 200) {
                served++;
            } else {
                assertBudgetExceeded(answer);
            }
        }
        assertThat(served).as(name + ": requests served with " + key.name()).isEqualTo(count);
    }

    /** Sends requests with {@code key} until one is refused (budget_exceeded) or {@code atMost} were served; returns how many were. */
    int serveUntilRefused(SpendKeyRef key, int atMost) {
        HttpResponse<String> answer;
        int served = 0;
        while ((answer = chat(key)).statusCode() == 200 && served < atMost) {
            served++;
        }
        if (answer.statusCode() != 200) {
            assertBudgetExceeded(answer);
        }
        return served;
    }

    /** A refusal in the OpenAI error shape, as the SDKs parse it. */
    static void assertBudgetExceeded(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
        try {
            JsonNode error = JSON.readTree(answer.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
            assertThat(error.path("code").asText()).isEqualTo("budget_exceeded");
            assertThat(error.path("message").asText()).contains("budget");
            assertThat(error.has("param")).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CompletableFuture<HttpResponse<String>> chatAsync(SpendKeyRef key) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.sidecar().proxyPort() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key.token())
                .POST(HttpRequest.BodyPublishers.ofString(LeaseCluster.CHAT)).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(answer -> {
                    if (answer.statusCode() == 200) {
                        served.computeIfAbsent(key.name(), k -> new AtomicLong()).incrementAndGet();
                    }
                    return answer;
                });
    }

    /**
     * What this pod's usage lines say the requests served with {@code key} cost, once each of them has its line
     * (a line is written as its request completes).
     */
    List<UsageLine> served(SpendKeyRef key) {
        long answered = served.getOrDefault(key.name(), new AtomicLong()).get();
        return Awaitility.await(name + ": a usage line per request served with " + key.name())
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> usage().stream().filter(l -> l.spendKey().equals(NAMESPACE + "/" + key.name()) && l.status() == 200)
                        .toList(), lines -> lines.size() >= answered);
    }

    long spentMicros(SpendKeyRef key) {
        return served(key).stream().mapToLong(UsageLine::costMicros).sum();
    }

    HttpResponse<String> get(String adminPath) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.sidecar().adminPort() + adminPath))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of a sample on {@code /metrics}, e.g. {@code tollgate_lease_calls_total{result="ok",}}; 0 when absent. */
    double metric(String sample) {
        return get("/metrics").body().lines().filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1))).findFirst().orElse(0);
    }

    /** Every usage line written so far. */
    private List<UsageLine> usage() {
        if (!Files.exists(usage)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(usage)) {
            return lines.filter(line -> !line.isBlank()).map(SidecarPod::usageLine).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UsageLine usageLine(String line) {
        try {
            JsonNode json = JSON.readTree(line);
            return new UsageLine(json.path("spendKey").asText(), json.path("status").asInt(), json.path("costMicros").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The pod is killed: its sidecar gets no chance to release its leases. The kubelet no longer serves the pod's
     * token, so every call to the operator fails, the last release included.
     */
    void kill() throws IOException {
        Files.delete(tokenFile);
        close();
    }

    /** A graceful stop: requests drain, then one last call releases every lease with its final figures. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            sidecar.close();
        }
    }
}
