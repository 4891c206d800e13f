package dev.tollgate.sidecar.control;

import dev.tollgate.sidecar.wire.LeaseCall;
import dev.tollgate.sidecar.wire.LeaseReport;
import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.mock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.config.CircuitBreakerConfig;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.config.Enforcement;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import dev.tollgate.sidecar.spend.TestClock;
import dev.tollgate.sidecar.testing.PlainHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real in-cluster sidecars (their own code, in this JVM) spending spend keys leased from a control API double
 * over HTTPS. The double answers per the lease contract and records every call.
 */
class InClusterLeaseTest {
    private static final String BOT = "tg_botToken00000000000000000000000";
    private static final String EASY = "tg_easyToken0000000000000000000000";
    private static final String CHAT = "{\"model\":\"chat\",\"max_tokens\":40,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about budgets\"}]}";

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock("2026-05-10T12:00:30Z");
    private final PlainHttp http = new PlainHttp();
    private final List<AutoCloseable> running = new ArrayList<>();
    private ControlApiDouble control;

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private static SpendKeyConfig key(String name, String token, Long budgetMicros, Integer rpm, Enforcement enforcement) {
        return new SpendKeyConfig("team-a/" + name, SpendKeyRegistry.sha256Hex(token), List.of(), budgetMicros,
                BudgetPeriod.MONTHLY, rpm, null, null, false, enforcement);
    }

    private void startControl(SpendKeyConfig... keys) throws Exception {
        RouteConfig chat = new RouteConfig("team-a/chat", List.of("chat"), null, List.of(backend("team-a/mock", "gpt-4o-mini", 0)),
                RetryConfig.defaults(), TimeoutConfig.defaults(), CircuitBreakerConfig.defaults(), false, null);
        GatewayConfig config = config(List.of(mock("team-a/mock", new MockConfig(5, 0, 1, null, null, null))),
                List.of(chat), List.of(keys));
        control = new ControlApiDouble(clock, "team-a", config);
        running.add(control);
    }

    /** A sidecar of pod {@code pod}, ready (configured by the double) and holding its leases (empty ones at first). */
    private Pod startPod(String pod) throws IOException {
        int calls = control.calls().size();
        Path usage = Files.createTempFile(dir, pod, ".jsonl");
        SidecarSettings settings = SidecarSettings.defaults().withPorts(0, 0).withUsageLog(usage)
                .withIdentity("team-a", pod, "bot", Map.of());
        InClusterSidecar sidecar = InClusterSidecar.start(settings, control.settings(dir), clock);
        Pod started = new Pod(sidecar, usage);
        running.add(started);
        await(() -> get(started.admin("/readyz")).statusCode() == 200, "ready");
        await(() -> control.calls().size() > calls, "the first lease call");
        return started;
    }

    private final class Pod implements AutoCloseable {
        final InClusterSidecar sidecar;
        final Path usage;
        int sent;
        boolean closed;

        Pod(InClusterSidecar sidecar, Path usage) {
            this.sidecar = sidecar;
            this.usage = usage;
        }

        HttpResponse<String> chat(String token) {
            sent++;
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.sidecar().proxyPort() + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(CHAT)).build());
        }

        String admin(String path) {
            return "http://127.0.0.1:" + sidecar.sidecar().adminPort() + path;
        }

        /** What the usage lines say this pod's requests cost, for one key, once every request sent has its line. */
        long costMicros(String key) throws IOException {
            await(() -> lines().size() >= sent, "a usage line per request");
            long total = 0;
            for (String line : lines()) {
                JsonNode json = ConfigJson.MAPPER.readTree(line);
                if (json.path("spendKey").asText().equals("team-a/" + key)) {
                    total += json.path("costMicros").asLong();
                }
            }
            return total;
        }

        private List<String> lines() {
            try {
                return Files.readAllLines(usage).stream().filter(line -> !line.isBlank()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                sidecar.close();
            }
        }
    }

    private HttpResponse<String> get(String url) {
        return http.get(url);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s for: " + what).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits until the double's recorded spend for {@code key} is {@code micros}: every settled request was reported. */
    private void awaitReported(String key, long micros) {
        await(() -> control.spent(key) == micros, key + " reported " + micros + " micro-dollars");
    }

    @Test
    void twoSidecarsSharingAKeyNeverSpendPastItsBudget() throws Exception {
        long limit = 400;
        startControl(key("bot", BOT, limit, null, Enforcement.STRICT));
        Pod a = startPod("bot-a");
        Pod b = startPod("bot-b");

        int[] served = new int[2];
        int rejectedInARow = 0;
        for (int i = 0; i < 200 && rejectedInARow < 4; i++) {
            Pod pod = i % 2 == 0 ? a : b;
            HttpResponse<String> answer = pod.chat(BOT);
            if (answer.statusCode() == 200) {
                served[i % 2]++;
                rejectedInARow = 0;
            } else {
                assertThat(answer.statusCode()).isEqualTo(429);
                assertThat(answer.body()).contains("budget_exceeded");
                rejectedInARow++;
            }
        }
        assertThat(served[0]).as("pod a served").isPositive();
        assertThat(served[1]).as("pod b served").isPositive();
        long spent = a.costMicros("bot") + b.costMicros("bot");
        assertThat(spent).isLessThanOrEqualTo(limit).isGreaterThan(limit / 2);
        awaitReported("bot", spent);
        assertThat(control.committed("bot")).isLessThanOrEqualTo(limit);
        assertThat(control.leasesOf("bot")).hasSize(2);
        assertThat(get(a.admin("/metrics")).body()).contains("tollgate_lease_calls_total{result=\"ok\",}");
    }

    @Test
    void aLostAnswerIsRetriedAndCountsNothingTwice() throws Exception {
        startControl(key("bot", BOT, 1_000_000L, null, Enforcement.STRICT));
        Pod pod = startPod("bot-a");
        assertThat(pod.chat(BOT).statusCode()).isEqualTo(200);
        awaitReported("bot", pod.costMicros("bot"));
        int before = control.calls().size();

        control.loseNextAnswer();
        assertThat(pod.chat(BOT).statusCode()).isEqualTo(200);
        await(() -> control.calls().size() >= before + 2, "the lost call and its retry");
        assertThat(pod.chat(BOT).statusCode()).isEqualTo(200);

        long spent = pod.costMicros("bot");
        awaitReported("bot", spent);
        List<LeaseReport> reports = control.calls().stream().flatMap(c -> c.leases().stream()).toList();
        assertThat(reports).extracting(LeaseReport::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(reports).extracting(LeaseReport::lease).containsOnly(reports.get(0).lease());
        assertThat(get(pod.admin("/metrics")).body()).contains("tollgate_lease_calls_total{result=\"failed\",} 1.0");
    }

    @Test
    void withTheControlApiDownStrictServesItsLeaseOnlyAndLenientUpToTheKeysRemainingBudget() throws Exception {
        long limit = 2_000;
        startControl(key("bot", BOT, limit, null, Enforcement.STRICT), key("easy", EASY, limit, null, Enforcement.LENIENT));
        Pod pod = startPod("bot-a");
        assertThat(pod.chat(BOT).statusCode()).isEqualTo(200);
        assertThat(pod.chat(EASY).statusCode()).isEqualTo(200);
        await(() -> control.leasesOf("bot").get(0).granted > 0 && control.leasesOf("easy").get(0).granted > 0, "grants");
        long strictGranted = control.leasesOf("bot").get(0).granted;

        control.down(true);
        await(() -> get(pod.admin("/metrics")).body().contains("tollgate_lease_calls_total{result=\"failed\","), "a failed call");
        int strictServed = 0;
        while (pod.chat(BOT).statusCode() == 200 && strictServed < 100) {
            strictServed++;
        }
        assertThat(pod.costMicros("bot")).as("strict: no more than its lease").isLessThanOrEqualTo(strictGranted);
        int lenientServed = 0;
        HttpResponse<String> lenient;
        while ((lenient = pod.chat(EASY)).statusCode() == 200 && lenientServed < 200) {
            lenientServed++;
        }
        assertThat(lenient.body()).contains("budget_exceeded");
        long lenientSpent = pod.costMicros("easy");
        assertThat(lenientSpent).as("lenient: past its lease, within the key").isGreaterThan(control.leasesOf("easy").get(0).granted)
                .isLessThanOrEqualTo(limit);

        // Long after the leases expired: strict serves nothing at all.
        clock.advance(Duration.ofMinutes(2));
        assertThat(pod.chat(BOT).statusCode()).isEqualTo(429);

        control.down(false);
        awaitReported("easy", lenientSpent);
        awaitReported("bot", pod.costMicros("bot"));
    }

    @Test
    void shutdownReleasesEveryLeaseWithItsFinalFigures() throws Exception {
        startControl(key("bot", BOT, 1_000_000L, null, Enforcement.STRICT), key("free", EASY, null, null, Enforcement.STRICT));
        Pod pod = startPod("bot-a");
        assertThat(pod.chat(BOT).statusCode()).isEqualTo(200);
        assertThat(pod.chat(EASY).statusCode()).isEqualTo(200);

        pod.close();
        long botSpent = pod.costMicros("bot");
        long freeSpent = pod.costMicros("free");

        List<LeaseCall> calls = control.calls();
        List<LeaseReport> last = calls.get(calls.size() - 1).leases();
        assertThat(last).extracting(LeaseReport::key, LeaseReport::release, LeaseReport::spentMicros, LeaseReport::requests)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bot", true, botSpent, 1L),
                        org.assertj.core.groups.Tuple.tuple("free", true, freeSpent, 1L));
        assertThat(control.committed("bot")).as("the unspent part went back to the key").isEqualTo(botSpent);
    }

    @Test
    void theRateAllowanceHoldsAcrossSidecars() throws Exception {
        startControl(key("bot", BOT, null, 4, Enforcement.STRICT));
        Pod a = startPod("bot-a");
        Pod b = startPod("bot-b");
        int ok = 0;
        for (int i = 0; i < 4; i++) {
            ok += a.chat(BOT).statusCode() == 200 ? 1 : 0;
        }
        HttpResponse<String> refused = null;
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> answer = b.chat(BOT);
            if (answer.statusCode() == 200) {
                ok++;
            } else {
                refused = answer;
            }
        }
        assertThat(ok).as("4 requests per minute for the key, not per sidecar").isEqualTo(4);
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("rate_limited");
    }

    @Test
    void aClientLeavingWhileItsRequestWaitsForBudgetStopsTheWaitAndPaysNothing() throws Exception {
        startControl(key("bot", BOT, 1_000_000L, null, Enforcement.STRICT));
        Pod pod = startPod("bot-a");
        control.holdCalls();
        try (Socket client = new Socket("127.0.0.1", pod.sidecar.sidecar().proxyPort())) {
            client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nAuthorization: Bearer " + BOT + "\r\nContent-Length: "
                    + CHAT.length() + "\r\n\r\n" + CHAT).getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            pod.sent++;
            // The empty lease cannot cover it: the request waits for the call that asks for its need.
            await(() -> control.heldCalls() > 0, "a lease call carrying the request's need");
        }

        await(() -> pod.lines().size() == 1, "the usage line of the request whose client left");
        JsonNode line = ConfigJson.MAPPER.readTree(pod.lines().get(0));
        assertThat(line.get("status").asInt()).isEqualTo(499);
        assertThat(line.get("error").asText()).isEqualTo("client_disconnected");
        assertThat(line.get("costMicros").asLong()).isZero();
        await(() -> get(pod.admin("/metrics")).body().contains("tollgate_inflight_requests 0.0"), "no request in flight");

        control.answerHeldCalls();
        assertThat(pod.chat(BOT).statusCode()).as("the next request is served").isEqualTo(200);
        long spent = pod.costMicros("bot");
        assertThat(spent).isPositive();
        awaitReported("bot", spent);
    }

    @Test
    void aNewPeriodReleasesTheOldLeaseAndOpensAnother() throws Exception {
        startControl(key("bot", BOT, 1_000_000L, null, Enforcement.STRICT));
        Pod pod = startPod("bot-a");
        assertThat(pod.chat(BOT).statusCode()).isEqualTo(200);
        long may = pod.costMicros("bot");
        awaitReported("bot", may);

        clock.set("2026-06-01T00:00:01Z");
        HttpResponse<String> inJune = pod.chat(BOT);
        assertThat(inJune.statusCode()).as(inJune.body() + control.calls()).isEqualTo(200);
        long june = pod.costMicros("bot") - may;
        awaitReported("bot", may + june);

        List<ControlApiDouble.Lease> leases = control.leasesOf("bot");
        assertThat(leases).hasSize(2);
        assertThat(leases.get(0).closed).as("May's lease released: " + control.calls()).isTrue();
        assertThat(leases.get(0).spent).isEqualTo(may);
        assertThat(leases.get(1).spent).isEqualTo(june);
        List<LeaseReport> reports = control.calls().stream().flatMap(c -> c.leases().stream()).toList();
        assertThat(reports).extracting(LeaseReport::periodStart)
                .contains(Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"));
    }
}
