package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.key;
import static dev.tollgate.sidecar.testing.Configs.mock;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.spend.SpendKeyLedger;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reservation bounds what a request can cost whatever multiplies its output, and an output limit no
 * model takes is the client's error: through a real sidecar and the mock provider (gpt-4o-mini's prices).
 */
class ReservationUpperBoundTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOT = "tg_boundToken000000000000000000000";
    private static final String PROMPT = "[{\"role\":\"user\",\"content\":\"Tell me a long story about budgets\"}]";
    private TestSidecar sidecar;

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
    }

    private void start(Long budgetMicros) {
        sidecar = TestSidecar.start(config(List.of(mock("ai/mock", new MockConfig(5, 0, 2, null, null, null))),
                List.of(route("team/chat", List.of("chat"), backend("ai/mock", "gpt-4o-mini", 0))),
                List.of(key("team/bot", BOT, budgetMicros, List.of()))));
    }

    private HttpResponse<String> chat(String fields) {
        return sidecar.post("/v1/chat/completions", "{\"model\":\"chat\"," + fields + ",\"messages\":" + PROMPT + "}",
                "Authorization", "Bearer " + BOT);
    }

    @Test
    void concurrentRequestsForEightAnswersNeverSpendPastTheLimit() throws Exception {
        start(null);
        assertThat(chat("\"max_tokens\":30").statusCode()).isEqualTo(200);
        long single = sidecar.usageLines(1).get(0).get("costMicros").asLong();
        sidecar.close();
        long limit = 50 * single; // about fifty single answers
        start(limit);

        int calls = 120;
        ExecutorService pool = Executors.newFixedThreadPool(40);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> chat("\"n\":8,\"max_tokens\":30"), pool));
        }
        int served = 0;
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            if (response.statusCode() == 200) {
                served++;
                assertThat(JSON.readTree(response.body()).get("choices")).hasSize(8);
            } else {
                assertThat(response.statusCode()).isEqualTo(429);
                assertThat(response.body()).contains("budget_exceeded");
            }
        }
        pool.shutdown();

        List<JsonNode> lines = sidecar.usageLines(calls);
        assertThat(lines).hasSize(calls);
        long charged = lines.stream().mapToLong(l -> l.get("costMicros").asLong()).sum();
        assertThat(served).isPositive();
        assertThat(charged).isLessThanOrEqualTo(limit);
        SpendKeyLedger ledger = sidecar.sidecar().spendKeys().ledgers().get(0);
        assertThat(ledger.spentMicros()).isEqualTo(charged).isLessThanOrEqualTo(limit);
        assertThat(ledger.outputTokens()).as("eight answers are billed").isGreaterThanOrEqualTo(8L * served * 10);
    }

    @Test
    void withoutMaxTokensTheModelsOutputLimitTimesNIsReserved() throws Exception {
        // gpt-4o-mini may write 16,384 tokens per answer at $0.60/M: 8 answers are 78,644 µ$ at most.
        start(78_000L);
        HttpResponse<String> eight = chat("\"n\":8");
        assertThat(eight.statusCode()).isEqualTo(429);
        assertThat(eight.body()).contains("budget_exceeded");
        assertThat(chat("\"n\":1").statusCode()).isEqualTo(200);
    }

    @Test
    void anOutputLimitNoModelTakesIsA400NamingTheFieldNeverA500() throws Exception {
        start(1_000_000L);
        String[][] cases = {
                {"\"max_tokens\":9223372036854775807", "max_tokens"},
                {"\"max_tokens\":10000000000000", "max_tokens"},
                {"\"max_completion_tokens\":1300000000000", "max_completion_tokens"},
                {"\"max_tokens\":16385", "max_tokens"}, // gpt-4o-mini writes at most 16,384
                {"\"n\":8,\"max_tokens\":9223372036854775807", "max_tokens"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = chat(c[0]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.get("message").asText()).contains("'" + c[1] + "'");
        }
        HttpResponse<String> tooMany = chat("\"n\":129");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("'n'");
        HttpResponse<String> responses = sidecar.post("/v1/responses",
                "{\"model\":\"chat\",\"input\":\"hi\",\"max_output_tokens\":9223372036854775807}", "Authorization", "Bearer " + BOT);
        assertThat(responses.statusCode()).isEqualTo(400);
        assertThat(responses.body()).contains("'max_output_tokens'");

        assertThat(chat("\"max_tokens\":16384").statusCode()).isEqualTo(200);
        SpendKeyLedger ledger = sidecar.sidecar().spendKeys().ledgers().get(0);
        assertThat(ledger.requests()).as("only the valid request was charged").isEqualTo(1);
        assertThat(sidecar.usageLogText()).doesNotContain("internal_error");
    }
}
