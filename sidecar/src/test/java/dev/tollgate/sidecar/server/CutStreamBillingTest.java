package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream cut mid-answer is billed the larger of the provider's last usage report and the gateway's
 * estimate, for every family: each provider's documented stream, cut by the in-test upstream.
 */
class CutStreamBillingTest {
    private static final String BODY = "{\"model\":\"%s\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    private FakeUpstream upstream;
    private TestSidecar sidecar;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        sidecar = TestSidecar.start(config(List.of(
                        new ProviderConfig("ai/gemini", "gemini", upstream.root(), "AIzaSyCutStreamKey-0123456789", null, null, null, null),
                        new ProviderConfig("ai/anthropic", "anthropic", upstream.root(), "sk-ant-cut-0123456789", null, null, null, null),
                        Configs.openAi("ai/openai", upstream)),
                List.of(route("team/gemini", List.of("gemini"), backend("ai/gemini", "gemini-2.0-flash", 0)),
                        route("team/claude", List.of("claude"), backend("ai/anthropic", "claude-haiku-4-5", 0)),
                        route("team/gpt", List.of("gpt"), backend("ai/openai", "gpt-4o-mini", 0))),
                List.of()));
    }

    @AfterEach
    void stop() {
        sidecar.close();
        upstream.close();
    }

    private JsonNode cutStreamLine(String model, String fixture, int eventsBeforeCut) {
        // Back to back: the events that arrive in the same read as the cut are still relayed and billed.
        upstream.enqueue(Reply.sse(Fixtures.read(fixture), 0, eventsBeforeCut));
        String body = sidecar.post("/v1/chat/completions", BODY.formatted(model)).body();
        assertThat(body).contains("upstream_stream_cut").doesNotContain("[DONE]");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(502);
        assertThat(line.get("error").asText()).isEqualTo("upstream_stream_cut");
        return line.get("tokens");
    }

    @Test
    void geminiBillsThePromptItReportedInEveryChunkAndTheOutputSeen() {
        JsonNode tokens = cutStreamLine("gemini", "gemini/stream-cached.sse", 2);
        // promptTokenCount 800 of which cachedContentTokenCount 100, as the chunks before the cut said.
        assertThat(tokens.get("input").asLong()).isEqualTo(700);
        assertThat(tokens.get("cachedInput").asLong()).isEqualTo(100);
        assertThat(tokens.get("output").asLong())
                .isEqualTo(TokenCounter.shared().count("The contract you attached sets out three obligations for the supplier"));
    }

    @Test
    void anthropicBillsMessageStartsInputAndTheOutputSeen() {
        // Cut after the two text deltas, before message_delta's output count.
        JsonNode tokens = cutStreamLine("claude", "anthropic/stream-text.sse", 5);
        assertThat(tokens.get("input").asLong()).isEqualTo(25);
        assertThat(tokens.get("output").asLong()).isEqualTo(Math.max(1, TokenCounter.shared().count("Hello!")));
    }

    @Test
    void openAiReportsUsageOnlyAtTheEndSoACutStreamIsEstimated() {
        JsonNode tokens = cutStreamLine("gpt", "openai/chat-stream.sse", 3);
        assertThat(tokens.get("input").asLong()).isPositive();
        assertThat(tokens.get("output").asLong()).isEqualTo(TokenCounter.shared().count("Hello!"));
    }
}
