package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Beta features of the Messages API are switched on by the client's anthropic-beta header; a passthrough keeps it. */
class AnthropicBetaHeaderTest {
    private static final String MESSAGE = "{\"model\":\"claude\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void theClientsBetaHeaderReachesAnthropicAndABadOneIsRefused() {
        try (FakeUpstream anthropic = FakeUpstream.start();
             TestSidecar sidecar = TestSidecar.start(config(
                     List.of(new ProviderConfig("ai/anthropic", "anthropic", anthropic.root(), "sk-ant-test-key-000000", null,
                             null, null, null)),
                     List.of(route("team/claude", List.of("claude"), backend("ai/anthropic", "claude-haiku-4-5", 0))),
                     List.of()))) {
            anthropic.always(Reply.json(200, Fixtures.read("anthropic/message.json")));

            HttpResponse<String> withBeta = sidecar.post("/v1/messages", MESSAGE,
                    "anthropic-version", "2023-06-01", "anthropic-beta", "context-1m-2025-08-07, token-efficient-tools-2025-02-19");
            String betaSent = anthropic.last().header("anthropic-beta");
            HttpResponse<String> without = sidecar.post("/v1/messages", MESSAGE);
            String noneSent = anthropic.last().header("anthropic-beta");
            HttpResponse<String> injected = sidecar.post("/v1/messages", MESSAGE, "anthropic-beta", "a;b=<script>");

            assertThat(withBeta.statusCode()).isEqualTo(200);
            assertThat(betaSent).isEqualTo("context-1m-2025-08-07, token-efficient-tools-2025-02-19");
            assertThat(without.statusCode()).isEqualTo(200);
            assertThat(noneSent).isNull();
            assertThat(injected.statusCode()).isEqualTo(400);
            assertThat(injected.body()).contains("anthropic-beta");
            assertThat(anthropic.received()).hasSize(2);
        }
    }
}
