package dev.tollgate.sidecar.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ConfigJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesUsageLogTest {
    @TempDir
    Path dir;

    @Test
    void writesTheDocumentedFieldsInOrder() throws IOException {
        Path file = dir.resolve("usage.jsonl");
        try (JsonLinesUsageLog log = JsonLinesUsageLog.appendingTo(file)) {
            log.record(record("req-1", 150, 42L, null));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        JsonNode line = ConfigJson.MAPPER.readTree(lines.get(0));
        assertThat(fieldNames(line)).containsExactly("time", "requestId", "namespace", "pod", "workload", "route",
                "model", "upstreamModel", "provider", "providerType", "spendKey", "feature", "user", "tokens", "cost",
                "costMicros", "priced", "latencyMs", "ttftMs", "attempts", "status", "streamed");
        assertThat(fieldNames(line.get("tokens"))).containsExactly("input", "cachedInput", "cacheWrite", "output", "reasoning");
        assertThat(line.get("time").asText()).isEqualTo("2026-11-25T12:00:00.123Z");
        assertThat(line.get("cost").asText()).isEqualTo("0.000150");
        assertThat(line.get("costMicros").asLong()).isEqualTo(150);
        assertThat(line.get("tokens").get("cachedInput").asLong()).isEqualTo(20);
        assertThat(line.get("ttftMs").asLong()).isEqualTo(42);
        assertThat(line.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void leavesOutNullsAndKeepsAWholeSecondInMilliseconds() throws IOException {
        Path file = dir.resolve("usage.jsonl");
        UsageRecord sparse = new UsageRecord(Instant.parse("2026-11-25T12:00:00Z"), "req-2", null, null, null, null,
                "gpt-4o", null, null, null, null, null, null, Usage.NONE, 0, false, 3, null, 1, 502, true, "upstream_error");
        try (JsonLinesUsageLog log = JsonLinesUsageLog.appendingTo(file)) {
            log.record(sparse);
        }
        JsonNode line = ConfigJson.MAPPER.readTree(Files.readAllLines(file).get(0));
        assertThat(fieldNames(line)).containsExactly("time", "requestId", "model", "tokens", "cost", "costMicros", "priced",
                "latencyMs", "attempts", "status", "streamed", "error");
        assertThat(line.get("time").asText()).isEqualTo("2026-11-25T12:00:00.000Z");
        assertThat(line.get("cost").asText()).isEqualTo("0.000000");
        assertThat(line.get("error").asText()).isEqualTo("upstream_error");
    }

    @Test
    void valuesWithQuotesAndNewlinesStayOnOneLine() throws IOException {
        Path file = dir.resolve("usage.jsonl");
        try (JsonLinesUsageLog log = JsonLinesUsageLog.appendingTo(file)) {
            log.record(record("evil\"\n{\"requestId\":\"forged\"}", 1, null, null));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        assertThat(ConfigJson.MAPPER.readTree(lines.get(0)).get("requestId").asText())
                .isEqualTo("evil\"\n{\"requestId\":\"forged\"}");
    }

    @Test
    void manyThreadsWriteWholeLinesAndNoneIsLost() throws Exception {
        Path file = dir.resolve("usage.jsonl");
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (JsonLinesUsageLog log = JsonLinesUsageLog.appendingTo(file)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        // a long feature value makes lines cross the buffer boundary
                        log.record(record("t" + thread + "-" + i, i, null, "x".repeat(i % 300)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * perThread);
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            ids.add(ConfigJson.MAPPER.readTree(line).get("requestId").asText());
        }
        assertThat(ids).hasSize(threads * perThread).contains("t0-0", "t7-499");
    }

    @Test
    void linesReachTheFileWithoutClosingTheLog() throws Exception {
        Path file = dir.resolve("usage.jsonl");
        try (JsonLinesUsageLog log = JsonLinesUsageLog.appendingTo(file)) {
            log.record(record("req-early", 1, null, null));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Files.size(file) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(file)).contains("\"requestId\":\"req-early\"").endsWith("\n");
        }
    }

    @Test
    void aLineIsInTheFileOnceItsStageCompletes() throws Exception {
        Path file = dir.resolve("usage.jsonl");
        try (JsonLinesUsageLog log = JsonLinesUsageLog.appendingTo(file)) {
            for (int i = 0; i < 50; i++) {
                log.record(record("req-" + i, 1, null, null)).toCompletableFuture().get();
                // Read by another file handle, as a restarted process would: no flush or close is awaited.
                assertThat(Files.readAllLines(file)).hasSize(i + 1).last().asString().contains("\"requestId\":\"req-" + i + "\"");
            }
        }
    }

    @Test
    void appendsToAnExistingFile() throws IOException {
        Path file = dir.resolve("usage.jsonl");
        Files.writeString(file, "{\"requestId\":\"old\"}\n");
        try (JsonLinesUsageLog log = JsonLinesUsageLog.appendingTo(file)) {
            log.record(record("new", 1, null, null));
        }
        assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo("{\"requestId\":\"old\"}");
    }

    @Test
    void recordingAfterCloseIsAnError() throws IOException {
        JsonLinesUsageLog log = JsonLinesUsageLog.appendingTo(dir.resolve("usage.jsonl"));
        log.close();
        log.close();
        assertThatThrownBy(() -> log.record(record("late", 1, null, null)))
                .isInstanceOf(IllegalStateException.class).hasMessage("usage log is closed");
    }

    @Test
    void stdoutLogWritesToStandardOutputAndLeavesItOpen() throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            try (JsonLinesUsageLog log = JsonLinesUsageLog.stdout()) {
                log.record(record("to-stdout", 1, null, null));
            }
            System.out.print("still open");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("{\"time\":").contains("\"requestId\":\"to-stdout\"").endsWith("}\nstill open");
    }

    private static UsageRecord record(String requestId, long costMicros, Long ttftMs, String feature) {
        return new UsageRecord(Instant.parse("2026-11-25T12:00:00.123456Z"), requestId, "shop", "checkout-7d9f", "checkout",
                "shop/chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "platform/openai", "openai", "checkout-key",
                feature == null ? "summaries" : feature, "user-17", new Usage(800, 20, 0, 150, 0), costMicros, true,
                812, ttftMs, 1, 200, false, null);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
