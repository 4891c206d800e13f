package dev.tollgate.sidecar.provider.openai;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenAI-compatible presets where the provider departs from OpenAI's own behaviour, end to end through a sidecar. */
class OpenAiCompatiblePresetsTest {
    private FakeUpstream upstream;
    private TestSidecar sidecar;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
    }

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        upstream.close();
    }

    private ProviderConfig preset(String id, String type) {
        return new ProviderConfig(id, type, upstream.baseUrl(), Configs.PROVIDER_KEY, null, null, null, null);
    }

    private static ChatCompletionCreateParams hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("What is 101*3?").build();
    }

    @Test
    void xaiReasoningTokensAreBilledOnTopOfItsCompletionTokens() {
        sidecar = TestSidecar.start(config(List.of(preset("ai/xai", "xai")),
                List.of(route("team/grok", List.of("grok"), backend("ai/xai", "grok-3-mini", 0))), List.of()));
        // xAI's documented usage block: completion_tokens 9 leaves out the 94 reasoning tokens; total 135 = 32 + 9 + 94.
        upstream.enqueue(Reply.json(200, Fixtures.read("xai/chat-completion-reasoning.json")));

        ChatCompletion completion = sidecar.openAi("no-spend-key").chat().completions().create(hello("grok"));

        assertThat(completion.choices().get(0).message().content()).hasValue("101 multiplied by 3 is 303.");
        JsonNode line = sidecar.usageLines(1).get(0);
        JsonNode tokens = line.get("tokens");
        assertThat(tokens.get("input").asLong()).isEqualTo(26);
        assertThat(tokens.get("cachedInput").asLong()).isEqualTo(6);
        assertThat(tokens.get("output").asLong()).isEqualTo(9);
        assertThat(tokens.get("reasoning").asLong()).isEqualTo(94);
        // grok-3-mini: 26×0.30 + 6×0.075 + (9+94)×0.50 = 7.8 + 0.45 + 51.5 = 59.75 µ$ → 60.
        assertThat(line.get("costMicros").asLong()).isEqualTo(60);
    }
}
