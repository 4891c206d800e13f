package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A complete (non-streamed) answer's headers arrive only when the whole answer is generated, so
 * the first-token timeout, meant for streams, must not cut a long generation short (and bill it again).
 */
class CompleteAnswerTimeoutTest {

    @Test
    void aSlowCompleteAnswerIsWaitedForUntilTheRequestTimeoutNotTheFirstTokenTimeout() {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestSidecar sidecar = TestSidecar.start(config(List.of(openAi("ai/openai", upstream)),
                     List.of(route("team/chat", List.of("chat"), new RetryConfig(3, RetryConfig.ALL_CLASSES, 10),
                             new TimeoutConfig(10_000, 300), backend("ai/openai", null, 0))), List.of()))) {
            upstream.always(Reply.delayed(1_000, Reply.json(200, Fixtures.read("openai/chat-completion.json"))));

            HttpResponse<String> answer = sidecar.post("/v1/chat/completions", chatBody("chat", false));

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(upstream.received()).hasSize(1);
        }
    }
}
