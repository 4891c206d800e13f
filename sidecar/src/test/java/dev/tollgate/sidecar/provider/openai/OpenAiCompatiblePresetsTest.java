package dev.tollgate.sidecar.provider.openai;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private void startMistral() {
        sidecar = TestSidecar.start(config(List.of(preset("ai/mistral", "mistral")),
                List.of(route("team/mistral", List.of("small"), backend("ai/mistral", "mistral-small", 0))), List.of()));
    }

    @Test
    void mistralStreamsWithoutStreamOptionsAndIsMeteredFromItsLastChunk() throws Exception {
        startMistral();
        upstream.enqueue(Reply.sse(Fixtures.read("mistral/chat-stream.sse")));

        StringBuilder text = new StringBuilder();
        try (var stream = sidecar.openAi("no-spend-key").chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("small").addUserMessage("Bonjour").maxCompletionTokens(64).build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }

        assertThat(text).hasToString("Bonjour ! Comment puis-je vous aider ?");
        // Mistral answers 422 extra_forbidden to stream_options and max_completion_tokens.
        JsonNode sent = JSON.readTree(upstream.last().body());
        assertThat(sent.has("stream_options")).isFalse();
        assertThat(sent.has("max_completion_tokens")).isFalse();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(64);
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.at("/tokens/input").asLong()).isEqualTo(34);
        assertThat(line.at("/tokens/output").asLong()).isEqualTo(8);
        // mistral-small: 34×0.10 + 8×0.30 = 3.4 + 2.4 = 5.8 µ$ → 6.
        assertThat(line.get("costMicros").asLong()).isEqualTo(6);
    }

    @Test
    void anthropicMessagesReachMistralInItsDialect() throws Exception {
        startMistral();
        upstream.enqueue(Reply.sse(Fixtures.read("mistral/chat-stream.sse")));

        MessageAccumulator accumulator = MessageAccumulator.create();
        AnthropicClient client = sidecar.anthropic("no-spend-key");
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams.builder()
                .model("small").maxTokens(256).addUserMessage("Bonjour").build())) {
            stream.stream().forEach(accumulator::accumulate);
        } finally {
            client.close();
        }

        Message message = accumulator.message();
        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Bonjour ! Comment puis-je vous aider ?");
        assertThat(message.usage().outputTokens()).isEqualTo(8);
        JsonNode sent = JSON.readTree(upstream.last().body());
        assertThat(sent.has("stream_options")).isFalse();
        assertThat(sent.has("max_completion_tokens")).isFalse();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(sent.path("stream").asBoolean()).isTrue();
    }

    @Test
    void openRoutersPaymentRequiredIsOurAccountsTroubleSoTheRouteFailsOver() throws Exception {
        try (FakeUpstream backup = FakeUpstream.start()) {
            sidecar = TestSidecar.start(config(List.of(preset("ai/openrouter", "openrouter"), Configs.openAi("ai/openai", backup)),
                    List.of(route("team/chat", List.of("chat"), backend("ai/openrouter", "openai/gpt-4o-mini", 0),
                                    backend("ai/openai", "gpt-4o-mini", 1)),
                            route("team/only", List.of("only"), backend("ai/openrouter", "openai/gpt-4o", 0))),
                    List.of()));
            upstream.always(Reply.json(402, Fixtures.read("openrouter/error-402.json")));
            backup.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

            ChatCompletion completion = sidecar.openAi("no-spend-key").chat().completions().create(hello("chat"));

            assertThat(completion.choices().get(0).message().content()).hasValue("Hello! How can I assist you today?");
            assertThat(sidecar.usageLines(1).get(0).get("provider").asText()).isEqualTo("ai/openai");

            // With no other backend, the client learns it is the gateway's provider account, not its request.
            var alone = sidecar.post("/v1/chat/completions", Configs.chatBody("only", false));
            assertThat(alone.statusCode()).isEqualTo(502);
            assertThat(JSON.readTree(alone.body()).at("/error/message").asText()).contains("ai/openrouter").contains("402")
                    .doesNotContain(Configs.PROVIDER_KEY);
        }
    }
}
