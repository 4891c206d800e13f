package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.CircuitBreakerConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A half-open circuit lets one probe through. A request that never reaches the backend (the client's
 * input cannot be translated, or the backend does not serve the API) must give the probe back, or
 * the backend would stay shut for good.
 */
class HalfOpenProbeTest {
    private static final long COOLDOWN_MS = 100;

    @Test
    void aRequestRejectedBeforeSendingGivesTheProbeBack() throws Exception {
        try (FakeUpstream anthropic = FakeUpstream.start();
             TestSidecar sidecar = TestSidecar.start(config(
                     List.of(new ProviderConfig("ai/anthropic", "anthropic", anthropic.root(), "sk-ant-test-key-000000", null,
                             null, null, null)),
                     List.of(new RouteConfig("team/claude", List.of("claude"), null,
                             List.of(backend("ai/anthropic", "claude-haiku-4-5", 0)), new RetryConfig(1, RetryConfig.ALL_CLASSES, 10),
                             TimeoutConfig.defaults(), new CircuitBreakerConfig(1, COOLDOWN_MS), false, null)),
                     List.of()))) {
            anthropic.enqueue(Reply.json(529, Fixtures.read("anthropic/error-529.json")));
            assertThat(sidecar.post("/v1/chat/completions", chat("")).statusCode()).isEqualTo(502);
            Thread.sleep(COOLDOWN_MS + 50);

            // n > 1 cannot be sent to Anthropic: refused while building the request, after the probe was taken.
            HttpResponse<String> untranslatable = sidecar.post("/v1/chat/completions", chat(",\"n\":2"));
            anthropic.enqueue(Reply.json(200, Fixtures.read("anthropic/message.json")));
            HttpResponse<String> next = sidecar.post("/v1/chat/completions", chat(""));

            assertThat(untranslatable.statusCode()).isEqualTo(400);
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(anthropic.received()).hasSize(2);
        }
    }

    private static String chat(String extra) {
        return "{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}";
    }
}
