package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries, failover across backends and tiers, timeouts, circuit breaking and cut streams, over real HTTP. */
class FailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeUpstream primary;
    private FakeUpstream fallback;
    private TestSidecar sidecar;

    @BeforeEach
    void upstreams() {
        primary = FakeUpstream.start();
        fallback = FakeUpstream.start();
    }

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        primary.close();
        fallback.close();
    }

    private void startSidecar(RetryConfig retry, TimeoutConfig timeouts) {
        sidecar = TestSidecar.start(config(
                List.of(openAi("ai/primary", primary), openAi("ai/fallback", fallback)),
                List.of(route("team/chat", List.of("chat"), retry, timeouts,
                        backend("ai/primary", "gpt-4o-mini", 0), backend("ai/fallback", "gpt-4o", 1))),
                List.of()));
    }

    private void startSidecar() {
        startSidecar(new RetryConfig(3, RetryConfig.ALL_CLASSES, 10), new TimeoutConfig(10_000, 2_000));
    }

    @Test
    void serverErrorFailsOverToTheNextTierAndBillsTheBackendThatAnswered() throws Exception {
        startSidecar();
        primary.always(Reply.json(500, Fixtures.read("openai/error-500.json")));
        fallback.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions", chatBody("chat", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(primary.received()).hasSize(1);
        assertThat(JSON.readTree(fallback.last().body()).get("model").asText()).isEqualTo("gpt-4o");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/fallback");
        assertThat(line.get("attempts").asInt()).isEqualTo(2);
        // gpt-4o: $2.50 / 1M input, $10.00 / 1M output → 19×2.5 + 10×10 = 147.5 µ$ → 148.
        assertThat(line.get("costMicros").asLong()).isEqualTo(148);
        assertThat(sidecar.metrics()).contains("tollgate_failovers_total{route=\"team/chat\",model=\"chat\",} 1.0");
    }

    @Test
    void oneAttemptStillTriesTheFallbackTier() {
        startSidecar(new RetryConfig(1, RetryConfig.ALL_CLASSES, 10), TimeoutConfig.defaults());
        primary.always(Reply.json(500, Fixtures.read("openai/error-500.json")));
        fallback.always(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions", chatBody("chat", false));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(primary.received()).hasSize(1);
        assertThat(fallback.received()).hasSize(1);
        assertThat(sidecar.usageLines(1).get(0).get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void rateLimitedAloneIsRetriedAfterRetryAfter() {
        sidecar = TestSidecar.start(config(List.of(openAi("ai/primary", primary)),
                List.of(route("team/chat", List.of("chat"), new RetryConfig(2, RetryConfig.ALL_CLASSES, 10),
                        TimeoutConfig.defaults(), backend("ai/primary", null, 0))), List.of()));
        primary.enqueue(Reply.json(429, Fixtures.read("openai/error-429.json"), Map.of("Retry-After", "1")),
                Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        long start = System.nanoTime();
        HttpResponse<String> response = sidecar.post("/v1/chat/completions", chatBody("chat", false));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(primary.received()).hasSize(2);
        assertThat(elapsedMs).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
    }

    @Test
    void everyBackendRateLimitedAnswers429WithTheLongestRetryAfterSoTheSdkBacksOff() throws Exception {
        startSidecar(new RetryConfig(1, RetryConfig.ALL_CLASSES, 10), TimeoutConfig.defaults());
        primary.always(Reply.json(429, Fixtures.read("openai/error-429.json"), Map.of("Retry-After", "7")));
        fallback.always(Reply.json(429, Fixtures.read("openai/error-429.json"), Map.of("Retry-After", "20")));

        assertThatThrownBy(() -> sidecar.openAi("sk-anything").chat().completions().create(ChatCompletionCreateParams.builder()
                .model("chat").addUserMessage("Say hello").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.headers().values("Retry-After")).containsExactly("20");
                    assertThat(e.code()).contains("rate_limited");
                    assertThat(e.getMessage()).doesNotContain(Configs.PROVIDER_KEY);
                });
        assertThat(primary.received()).hasSize(1);
        assertThat(fallback.received()).hasSize(1);
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(429);
        assertThat(line.get("costMicros").asLong()).isZero();

        HttpResponse<String> messages = sidecar.post("/v1/messages",
                "{\"model\":\"chat\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(messages.statusCode()).isEqualTo(429);
        assertThat(messages.headers().firstValue("Retry-After")).contains("20");
        assertThat(JSON.readTree(messages.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void everyBackendFailingAnswers502NamingTheLastStatusAndNoKey() {
        startSidecar(new RetryConfig(2, RetryConfig.ALL_CLASSES, 10), TimeoutConfig.defaults());
        primary.always(Reply.json(503, Fixtures.read("openai/error-500.json")));
        fallback.always(Reply.json(401, Fixtures.read("openai/error-401.json")));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions", chatBody("chat", false));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"code\":\"upstream_error\"").contains("401")
                .doesNotContain("sk-").doesNotContain("AbCd");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(502);
        assertThat(line.get("costMicros").asLong()).isZero();
    }

    @Test
    void circuitOpensAfterConsecutiveFailuresAndSkipsTheBrokenBackend() {
        startSidecar(new RetryConfig(2, RetryConfig.ALL_CLASSES, 10), TimeoutConfig.defaults());
        primary.always(Reply.json(500, Fixtures.read("openai/error-500.json")));
        fallback.always(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        for (int i = 0; i < 6; i++) {
            assertThat(sidecar.post("/v1/chat/completions", chatBody("chat", false)).statusCode()).isEqualTo(200);
        }

        // Threshold 3: the first three requests tried the primary, the next three went straight to the fallback.
        assertThat(primary.received()).hasSize(3);
        assertThat(fallback.received()).hasSize(6);
        assertThat(sidecar.metrics()).contains("tollgate_circuit_open{provider=\"ai/primary\",upstream_model=\"gpt-4o-mini\",} 1.0");
    }

    @Test
    void slowFirstByteFailsOverBeforeAnythingReachedTheClient() {
        startSidecar(new RetryConfig(2, RetryConfig.ALL_CLASSES, 10), new TimeoutConfig(10_000, 300));
        primary.always(Reply.delayed(3_000, Reply.sse(Fixtures.read("openai/chat-stream.sse"))));
        fallback.always(Reply.sse(Fixtures.read("openai/chat-stream.sse")));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions", chatBody("chat", true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("How").endsWith("data: [DONE]\n\n");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/fallback");
        assertThat(sidecar.metrics()).contains("result=\"timeout\"");
    }

    @Test
    void streamCutMidAnswerEndsWithAnErrorEventAndBillsTheTokensSeen() {
        startSidecar();
        primary.always(Reply.sse(Fixtures.read("openai/chat-stream.sse"), 30, 4));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions", chatBody("chat", true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Hello").contains("\"code\":\"upstream_stream_cut\"").doesNotContain("[DONE]");
        assertThat(fallback.received()).as("no failover once bytes reached the client").isEmpty();
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("error").asText()).isEqualTo("upstream_stream_cut");
        assertThat(line.get("tokens").get("output").asLong()).as("'Hello! How' seen before the cut").isGreaterThan(0);
        assertThat(line.get("tokens").get("input").asLong()).isGreaterThan(0);
        assertThat(line.get("costMicros").asLong()).isGreaterThan(0);
    }

    @Test
    void garbageFromTheProviderFailsOver() {
        startSidecar();
        primary.always(Reply.raw(200, "text/html", "<html>502 Bad Gateway</html>"));
        fallback.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")),
                Reply.sse(Fixtures.read("openai/chat-stream.sse")));

        HttpResponse<String> plain = sidecar.post("/v1/chat/completions", chatBody("chat", false));
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        HttpResponse<String> streamed = sidecar.post("/v1/chat/completions", chatBody("chat", true));
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        assertThat(fallback.received()).hasSize(2);
    }

    @Test
    void clientErrorsFromTheProviderAreNotRetried() {
        startSidecar();
        primary.always(Reply.json(400, Fixtures.read("openai/error-400.json")));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions", chatBody("chat", false));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(primary.received()).hasSize(1);
        assertThat(fallback.received()).isEmpty();
    }

    @Test
    void retryClassesNotListedAreNotRetried() {
        startSidecar(new RetryConfig(3, Set.of("rate-limited"), 10), TimeoutConfig.defaults());
        primary.always(Reply.json(500, Fixtures.read("openai/error-500.json")));

        assertThat(sidecar.post("/v1/chat/completions", chatBody("chat", false)).statusCode()).isEqualTo(502);
        assertThat(fallback.received()).isEmpty();
    }
}
