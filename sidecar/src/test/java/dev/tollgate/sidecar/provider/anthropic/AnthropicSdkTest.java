package dev.tollgate.sidecar.provider.anthropic;

import static dev.tollgate.sidecar.provider.anthropic.AnthropicBackendTest.ANTHROPIC_KEY;
import static dev.tollgate.sidecar.provider.anthropic.AnthropicBackendTest.anthropic;
import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.key;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK against {@code /v1/messages}: passed through to an Anthropic
 * backend, translated to an OpenAI-type one, and failing over from the latter to the former.
 */
class AnthropicSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "tg_anthropicSdkToken0123456789abcdef";

    private FakeUpstream anthropic;
    private FakeUpstream openAi;
    private TestSidecar sidecar;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        anthropic = FakeUpstream.start();
        openAi = FakeUpstream.start();
        sidecar = TestSidecar.start(config(List.of(anthropic("ai/anthropic", anthropic), openAi("ai/openai", openAi)),
                List.of(route("team/claude", List.of("claude"), backend("ai/anthropic", "claude-haiku-4-5", 0)),
                        route("team/gpt", List.of("gpt"), backend("ai/openai", "gpt-4o-mini", 0)),
                        route("team/reason", List.of("reasoner"), backend("ai/openai", "o4-mini", 0)),
                        route("team/chat", List.of("chat"), backend("ai/openai", "gpt-4o-mini", 0),
                                backend("ai/anthropic", "claude-haiku-4-5", 1))),
                List.of(key("team/bot", TOKEN, 5_000_000L, List.of()))));
        client = sidecar.anthropic(TOKEN);
    }

    @AfterEach
    void stop() {
        client.close();
        sidecar.close();
        anthropic.close();
        openAi.close();
    }

    private static MessageCreateParams hello(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(1024).system("Be brief.").addUserMessage("Hello, Claude").build();
    }

    private Message streamed(MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    @Test
    void aMessageIsPassedThroughToAnthropicWithTheProvidersKeyAndMetered() throws Exception {
        anthropic.enqueue(Reply.json(200, Fixtures.read("anthropic/message.json")));

        Message message = client.messages().create(hello("claude"));

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Hi! My name is Claude.");
        assertThat(message.usage().inputTokens()).isEqualTo(2095);
        FakeUpstream.Received sent = anthropic.last();
        assertThat(sent.uri()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"max_tokens":1024,"messages":[{"content":"Hello, Claude","role":"user"}],"model":"claude-haiku-4-5","system":"Be brief."}"""));
        assertThat(sent.body() + sent.headers()).doesNotContain(TOKEN);
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("spendKey").asText()).isEqualTo("team/bot");
        assertThat(line.get("costMicros").asLong()).isEqualTo(4610);
    }

    @Test
    void aStreamIsPassedThroughEventByEventAndMetered() throws Exception {
        anthropic.enqueue(Reply.sse(Fixtures.read("anthropic/stream-tool-use.sse")));

        Message message = streamed(hello("claude"));

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Okay, let's check the weather for San Francisco, CA:");
        assertThat(message.content().get(1).toolUse().orElseThrow().name()).isEqualTo("get_weather");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(JSON.readTree(anthropic.last().body()).get("stream").asBoolean()).isTrue();
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("streamed").asBoolean()).isTrue();
        assertThat(line.at("/tokens/input").asLong()).isEqualTo(472);
        assertThat(line.at("/tokens/cachedInput").asLong()).isEqualTo(1024);
        assertThat(line.at("/tokens/output").asLong()).isEqualTo(89);
        // 472×1 + 1024×0.10 + 89×5 = 472 + 102.4 + 445 = 1019.4 µ$ → 1019.
        assertThat(line.get("costMicros").asLong()).isEqualTo(1019);
    }

    @Test
    void aMessageIsTranslatedToAnOpenAiBackendAndBack() throws Exception {
        openAi.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        Message message = client.messages().create(hello("gpt"));

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Hello! How can I assist you today?");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isEqualTo(19);
        assertThat(message.usage().outputTokens()).isEqualTo(10);
        FakeUpstream.Received sent = openAi.last();
        assertThat(sent.uri()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + Configs.PROVIDER_KEY);
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello, Claude"}],
                 "max_completion_tokens":1024}"""));
        // gpt-4o-mini: 19×0.15 + 10×0.60 = 8.85 µ$ → 9.
        assertThat(sidecar.usageLines(1).get(0).get("costMicros").asLong()).isEqualTo(9);
    }

    @Test
    void anOpenAiReasoningModelGetsTheOutputLimitAsMaxCompletionTokens() throws Exception {
        // o1, o3, o4-mini and gpt-5 answer 400 "Unsupported parameter: 'max_tokens'" to the older name.
        openAi.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion-cached.json")));

        Message message = client.messages().create(hello("reasoner"));

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("42");
        assertThat(message.usage().outputTokens()).isEqualTo(300);
        JsonNode sent = JSON.readTree(openAi.last().body());
        assertThat(sent.get("model").asText()).isEqualTo("o4-mini");
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(1024);
        assertThat(sent.has("max_tokens")).isFalse();
    }

    @Test
    void aStreamIsTranslatedFromChatChunksToAnthropicEvents() {
        openAi.enqueue(Reply.sse(Fixtures.read("openai/chat-stream.sse")));

        Message message = streamed(hello("gpt"));

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Hello! How can I help?");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(6);
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.at("/tokens/input").asLong()).isEqualTo(9);
        assertThat(line.at("/tokens/output").asLong()).isEqualTo(6);
    }

    @Test
    void aToolCallFromAnOpenAiBackendArrivesAsToolUse() {
        openAi.enqueue(Reply.sse(Fixtures.read("anthropic/chat-tool-call-stream.sse")));
        MessageCreateParams params = MessageCreateParams.builder().model("gpt").maxTokens(256).addUserMessage("Weather in Paris?")
                .addTool(Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder()
                        .properties(com.anthropic.core.JsonValue.from(Map.of("location", Map.of("type", "string")))).build()).build())
                .build();

        Message message = streamed(params);

        var toolUse = message.content().get(0).toolUse().orElseThrow();
        assertThat(toolUse.id()).isEqualTo("call_DdmO9pD3xa9XTPNJ32zg2hcA");
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(toolUse._input().convert(Map.class)).isEqualTo(Map.of("location", "Paris, France"));
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    }

    @Test
    void aStreamFailsOverFromAnOpenAiPrimaryToAnthropicAndIsBilledAsClaude() throws Exception {
        openAi.always(Reply.json(503, Fixtures.read("openai/error-500.json")));
        anthropic.enqueue(Reply.sse(Fixtures.read("anthropic/stream-text.sse")));

        Message message = streamed(hello("chat"));

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Hello!");
        assertThat(openAi.received()).isNotEmpty();
        assertThat(JSON.readTree(anthropic.last().body()).get("model").asText()).isEqualTo("claude-haiku-4-5");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/anthropic");
        assertThat(line.get("upstreamModel").asText()).isEqualTo("claude-haiku-4-5");
        // claude-haiku-4-5, not gpt-4o-mini: 25×1 + 15×5 = 100 µ$.
        assertThat(line.get("costMicros").asLong()).isEqualTo(100);
        assertThat(line.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anthropicsBadRequestReachesTheSdkAsItsOwnError() {
        anthropic.enqueue(Reply.json(400, Fixtures.read("anthropic/error-400.json")));

        assertThatThrownBy(() -> client.messages().create(hello("claude")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("max_tokens: 100000 > 64000");
    }
}
