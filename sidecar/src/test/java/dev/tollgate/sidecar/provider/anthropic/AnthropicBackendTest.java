package dev.tollgate.sidecar.provider.anthropic;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.key;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against a sidecar whose route goes to Anthropic's Messages API. */
class AnthropicBackendTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ANTHROPIC_KEY = "sk-ant-api03-providerSecret0123456789";
    private static final String TOKEN = "tg_anthropicBackendToken0123456789ab";

    private FakeUpstream anthropic;
    private FakeUpstream second;
    private TestSidecar sidecar;
    private OpenAIClient client;

    static ProviderConfig anthropic(String id, FakeUpstream upstream) {
        return new ProviderConfig(id, "anthropic", upstream.root(), ANTHROPIC_KEY, null, null, null, null);
    }

    @BeforeEach
    void start() {
        anthropic = FakeUpstream.start();
        second = FakeUpstream.start();
        sidecar = TestSidecar.start(config(
                List.of(anthropic("ai/anthropic", anthropic), anthropic("ai/anthropic-eu", second)),
                List.of(route("team/claude", List.of("claude"), new RetryConfig(3, RetryConfig.ALL_CLASSES, 10),
                                TimeoutConfig.defaults(), backend("ai/anthropic", "claude-haiku-4-5", 0),
                                backend("ai/anthropic-eu", "claude-haiku-4-5", 1)),
                        route("team/sonnet", List.of("sonnet"), backend("ai/anthropic", "claude-sonnet-4-5", 0))),
                List.of(key("team/bot", TOKEN, 5_000_000L, List.of()))));
        client = sidecar.openAi(TOKEN);
    }

    @AfterEach
    void stop() {
        sidecar.close();
        anthropic.close();
        second.close();
    }

    private static ChatCompletionCreateParams.Builder ask(String model, String question) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage(question);
    }

    @Test
    void aCompletionIsTranslatedBothWaysAndMeteredExactly() throws Exception {
        anthropic.enqueue(Reply.json(200, Fixtures.read("anthropic/message.json")));

        ChatCompletion completion = client.chat().completions().create(ask("claude", "Who are you?").maxCompletionTokens(200).build());

        assertThat(completion.choices().get(0).message().content()).hasValue("Hi! My name is Claude.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(2095);
        FakeUpstream.Received sent = anthropic.last();
        assertThat(sent.uri()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("Authorization")).isNull();
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"Who are you?"}]}],
                 "system":"Be brief.","max_tokens":200,"model":"claude-haiku-4-5"}"""));
        assertThat(sent.body() + sent.headers()).doesNotContain(TOKEN);

        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/anthropic");
        assertThat(line.get("upstreamModel").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(line.at("/tokens/input").asLong()).isEqualTo(2095);
        assertThat(line.at("/tokens/output").asLong()).isEqualTo(503);
        // claude-haiku-4-5: $1 / 1M input, $5 / 1M output → 2095×1 + 503×5 = 4610 µ$.
        assertThat(line.get("costMicros").asLong()).isEqualTo(4610);
    }

    @Test
    void cacheReadsAndWritesArePricedAtTheirOwnRates() {
        anthropic.enqueue(Reply.json(200, Fixtures.read("anthropic/message-cached.json")));

        client.chat().completions().create(ask("sonnet", "Themes?").build());

        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.at("/tokens/input").asLong()).isEqualTo(21);
        assertThat(line.at("/tokens/cachedInput").asLong()).isEqualTo(188086);
        assertThat(line.at("/tokens/cacheWrite").asLong()).isEqualTo(1800);
        assertThat(line.at("/tokens/output").asLong()).isEqualTo(393);
        // claude-sonnet-4-5: 21×3 + 188086×0.30 + 1800×3.75 + 393×15 = 63 + 56425.8 + 6750 + 5895 = 69133.8 µ$ → 69134.
        assertThat(line.get("costMicros").asLong()).isEqualTo(69134);
    }

    @Test
    void aStreamArrivesChunkByChunkAndIsMeteredFromMessageStartAndMessageDelta() throws Exception {
        anthropic.enqueue(Reply.sse(Fixtures.read("anthropic/stream-text.sse")));

        StringBuilder text = new StringBuilder();
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("claude", "Hi").build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunks++;
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
                assertThat(chunk.usage()).isEmpty();
            }
        }

        assertThat(text).hasToString("Hello!");
        assertThat(chunks).isEqualTo(4);
        assertThat(JSON.readTree(anthropic.last().body()).get("stream").asBoolean()).isTrue();
        assertThat(anthropic.last().header("accept")).isEqualTo("text/event-stream");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("streamed").asBoolean()).isTrue();
        assertThat(line.at("/tokens/input").asLong()).isEqualTo(25);
        assertThat(line.at("/tokens/output").asLong()).isEqualTo(15);
        // 25×1 + 15×5 = 100 µ$.
        assertThat(line.get("costMicros").asLong()).isEqualTo(100);
    }

    @Test
    void aToolCallMakesTheRoundTrip() throws Exception {
        anthropic.enqueue(Reply.json(200, Fixtures.read("anthropic/message-tool-use.json")),
                Reply.json(200, Fixtures.read("anthropic/message.json")));
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").description("Current weather")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                        .build())
                .build()).build();

        ChatCompletionMessage asked = client.chat().completions()
                .create(ask("claude", "Weather in SF?").addTool(weather).build()).choices().get(0).message();
        ChatCompletionMessageFunctionToolCall call = asked.toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.function().arguments())).isEqualTo(JSON.readTree("{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"));

        ChatCompletion answered = client.chat().completions().create(ask("claude", "Weather in SF?").addTool(weather)
                .addMessage(asked)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("15 C, foggy").build())
                .build());

        assertThat(answered.choices().get(0).message().content()).hasValue("Hi! My name is Claude.");
        JsonNode second = JSON.readTree(anthropic.last().body());
        assertThat(second.get("tools")).isEqualTo(JSON.readTree("""
                [{"name":"get_weather","description":"Current weather",
                  "input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}]"""));
        assertThat(second.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":[{"type":"text","text":"Weather in SF?"}]},
                 {"role":"assistant","content":[{"type":"text","text":"I'll check the current weather in San Francisco for you."},
                     {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather",
                      "input":{"location":"San Francisco, CA","unit":"celsius"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"15 C, foggy"}]}]"""));
    }

    @Test
    void overloaded529FailsOverToTheNextBackendWhichIsBilled() {
        anthropic.always(Reply.json(529, Fixtures.read("anthropic/error-529.json")));
        second.enqueue(Reply.sse(Fixtures.read("anthropic/stream-text.sse")));

        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("claude", "Hi").build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }

        assertThat(text).hasToString("Hello!");
        assertThat(anthropic.received()).hasSize(1);
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/anthropic-eu");
        assertThat(line.get("attempts").asInt()).isEqualTo(2);
        assertThat(line.get("costMicros").asLong()).isEqualTo(100);
        assertThat(sidecar.metrics()).contains("result=\"server-error\"");
    }

    @Test
    void anErrorEventMidStreamEndsTheStreamWithAnErrorAndBillsWhatWasSeen() {
        anthropic.enqueue(Reply.sse(Fixtures.read("anthropic/stream-overloaded.sse")));

        var response = sidecar.post("/v1/chat/completions",
                "{\"model\":\"claude\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(response.body()).contains("\"content\":\"Hello\"").contains("\"error\"").doesNotContain("[DONE]");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(502);
        assertThat(line.at("/tokens/input").asLong()).isEqualTo(25);
        assertThat(line.at("/tokens/output").asLong()).isEqualTo(1);
    }

    @Test
    void anthropicsBadRequestReachesTheClientAsA400WithItsMessage() {
        anthropic.enqueue(Reply.json(400, Fixtures.read("anthropic/error-400.json")));

        assertThatThrownBy(() -> client.chat().completions().create(ask("claude", "Hi").maxCompletionTokens(60_000).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("max_tokens: 100000 > 64000");
        assertThat(second.received()).isEmpty();
    }

    @Test
    void aStreamingRequestFailsOverFromAnOpenAiPrimaryToAnAnthropicFallbackAndBillsClaude() throws Exception {
        FakeUpstream openAiPrimary = FakeUpstream.start();
        try (openAiPrimary) {
            sidecar.sidecar().apply(config(List.of(openAi("ai/openai", openAiPrimary), anthropic("ai/anthropic", anthropic)),
                    List.of(route("team/chat", List.of("chat"), backend("ai/openai", "gpt-4o-mini", 0),
                            backend("ai/anthropic", "claude-haiku-4-5", 1))), List.of()));
            openAiPrimary.always(Reply.json(503, Fixtures.read("openai/error-500.json")));
            anthropic.enqueue(Reply.sse(Fixtures.read("anthropic/stream-text.sse")));

            var response = sidecar.post("/v1/chat/completions",
                    "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"content\":\"Hello\"").endsWith("data: [DONE]\n\n");
            assertThat(openAiPrimary.received()).isNotEmpty();
            assertThat(JSON.readTree(anthropic.last().body()).get("model").asText()).isEqualTo("claude-haiku-4-5");
            JsonNode line = sidecar.usageLines(1).get(0);
            assertThat(line.get("provider").asText()).isEqualTo("ai/anthropic");
            assertThat(line.get("upstreamModel").asText()).isEqualTo("claude-haiku-4-5");
            assertThat(line.get("costMicros").asLong()).isEqualTo(100);
        }
    }
}
