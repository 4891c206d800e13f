package dev.tollgate.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.cli.TollgateCli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate local} in a child JVM, killed with SIGKILL under load again and again on the same state
 * directory: every answer a client received has its usage line, the books hold at least what was served, and
 * the key's limit holds across every restart.
 */
class LocalModeCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "tg_crash_test_token";
    private static final long LIMIT_MICROS = 4_000; // "0.004": a few hundred small answers
    private static final int ROUNDS = 5;
    private static final int CLIENTS = 6;
    private static final Pattern PROXY = Pattern.compile("proxy +http://127\\.0\\.0\\.1:(\\d+)/v1");
    private static final String MANIFESTS = """
            apiVersion: tollgate.dev/v1alpha1
            kind: ProviderSecret
            metadata: {name: mock}
            spec: {provider: mock, mock: {latency: 15ms, chunkDelay: 3ms, tokensPerChunk: 3}}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: AIRoute
            metadata: {name: chat}
            spec:
              models: [chat]
              backends: [{providerRef: {name: mock}, model: gpt-4o-mini}]
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: SpendKey
            metadata: {name: crash}
            spec: {budget: {limit: "0.004", period: total}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: crash-spendkey}
            stringData: {token: %s}
            """.formatted(TOKEN);

    @TempDir
    Path dir;

    private Process child;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void killedUnderLoadRepeatedlyItNeverLosesAServedAnswerOrSpendAndNeverPassesTheLimit() throws Exception {
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("all.yaml"), MANIFESTS);
        Path state = dir.resolve("state");
        Set<String> served = ConcurrentHashMap.newKeySet();
        AtomicInteger attempted = new AtomicInteger();

        for (int round = 0; round < ROUNDS; round++) {
            int port = startChild(manifests, state);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger answeredThisRound = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                String prefix = "r" + round + "c" + c + "-";
                clients.submit(() -> {
                    for (int n = 0; running.get() && n < 2_000; n++) {
                        attempted.incrementAndGet();
                        String id = prefix + n;
                        if (call(port, id, n % 2 == 0)) {
                            served.add(id);
                        }
                        answeredThisRound.incrementAndGet();
                    }
                });
            }
            // Kill while answers flow: once this round has had some, a little later each round.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (answeredThisRound.get() < 2 * CLIENTS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(150 + 60L * round);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no last save
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        Map<String, JsonNode> lines = usageLines(state.resolve("usage.jsonl"));
        assertThat(served).as("answers received across the kills").isNotEmpty();
        for (String id : served) {
            assertThat(lines).as("usage line of served answer " + id).containsKey(id);
            assertThat(lines.get(id).get("status").asInt()).isEqualTo(200);
        }
        long billed = lines.values().stream().mapToLong(l -> l.get("costMicros").asLong()).sum();
        JsonNode ledger = ledger(state.resolve("state.json"));
        long recorded = ledger.get("spentMicros").asLong() + ledger.path("heldMicros").asLong();
        assertThat(recorded).as("spend a restart starts from").isGreaterThanOrEqualTo(billed);
        assertThat(billed).as("billed across %d restarts", ROUNDS).isLessThanOrEqualTo(LIMIT_MICROS);
        assertThat(recorded).isLessThanOrEqualTo(LIMIT_MICROS);
        System.out.printf("crash test: %d requests, %d served, %d usage lines, billed %d µ$, recorded %d µ$ of %d%n",
                attempted.get(), served.size(), lines.size(), billed, recorded, LIMIT_MICROS);
    }

    /** Starts {@code tollgate local} in a child JVM and returns its proxy port once it is ready. */
    private int startChild(Path manifests, Path state) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-Xmx96m", "-cp", System.getProperty("java.class.path"),
                TollgateCli.class.getName(), "local", manifests.toString(), "--port", "0", "--admin-port", "0",
                "--state", state.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Integer port = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line = out.readLine(); line != null && System.nanoTime() < deadline; line = out.readLine()) {
            Matcher proxy = PROXY.matcher(line);
            if (proxy.find()) {
                port = Integer.parseInt(proxy.group(1));
            }
            if (line.contains("ready;")) {
                break;
            }
        }
        assertThat(port).as("the child printed its proxy port and became ready").isNotNull();
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(Writer.nullWriter());
            } catch (IOException ignored) {
                // the child was killed
            }
        });
        drain.setDaemon(true);
        drain.start();
        return port;
    }

    /** One chat request; true when the client received the whole answer (a stream's [DONE] included). */
    private boolean call(int port, String id, boolean stream) {
        String body = "{\"model\":\"chat\",\"max_tokens\":40,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about budgets and crashes\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .header("x-request-id", id)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    in.readAllBytes();
                    return false;
                }
                if (!stream) {
                    return JSON.readTree(in.readAllBytes()).path("choices").size() == 1;
                }
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals("data: [DONE]")) {
                        return true; // the answer is complete for the client, whatever comes after
                    }
                }
                return false;
            }
        } catch (IOException e) {
            return false; // the gateway was killed mid-request
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<String, JsonNode> usageLines(Path file) throws IOException {
        Map<String, JsonNode> byId = new HashMap<>();
        List<String> all = Files.exists(file) ? Files.readAllLines(file) : new ArrayList<>();
        for (String line : all) {
            JsonNode node = JSON.readTree(line); // a kill never leaves half a line: each is one write
            byId.put(node.get("requestId").asText(), node);
        }
        return byId;
    }

    private static JsonNode ledger(Path stateFile) throws IOException {
        for (JsonNode key : JSON.readTree(stateFile.toFile()).get("spendKeys")) {
            if (key.get("name").asText().equals("default/crash")) {
                return key;
            }
        }
        throw new AssertionError("no ledger for default/crash in " + stateFile);
    }
}
