package dev.tollgate.sidecar.provider.vertex;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.key;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.errors.BadRequestException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claude on Vertex AI through a running sidecar: the OpenAI Java SDK (translated to Anthropic's
 * Messages API) and the Anthropic Java SDK (passed through), both to {@code rawPredict} /
 * {@code streamRawPredict} with the service account's token; Gemini on the same provider stays Gemini.
 */
class VertexClaudeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "ya29.c.b0AXv0zTMh2Yc7ZqT0ExampleAccessTokenForTests";
    private static final String SPEND_KEY = "tg_vertexClaudeToken0123456789abcdef";
    private static final String MODEL = "claude-sonnet-4-5@20250929";
    private static final String CLAUDE_PATH = "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/" + MODEL + ":";

    private FakeUpstream vertex;
    private FakeUpstream tokenEndpoint;
    private TestServiceAccount account;
    private TestSidecar sidecar;
    private OpenAIClient openAi;
    private AnthropicClient anthropic;

    @BeforeEach
    void start() {
        vertex = FakeUpstream.start();
        tokenEndpoint = FakeUpstream.start();
        tokenEndpoint.always(Reply.json(200, Fixtures.read("vertex/token.json")));
        account = new TestServiceAccount(tokenEndpoint.root() + "/token");
        ProviderConfig provider = new ProviderConfig("ai/vertex", "vertex-ai", vertex.root(), account.json(), null, null,
                Map.of("project", "my-project", "location", "us-east5"), null);
        sidecar = TestSidecar.start(config(List.of(provider),
                List.of(route("team/claude", List.of("claude"), backend("ai/vertex", MODEL, 0)),
                        route("team/gemini", List.of("gemini"), backend("ai/vertex", "gemini-2.0-flash", 0))),
                List.of(key("team/bot", SPEND_KEY, 5_000_000L, List.of()))));
        openAi = sidecar.openAi(SPEND_KEY);
        anthropic = sidecar.anthropic(SPEND_KEY);
    }

    @AfterEach
    void stop() {
        anthropic.close();
        sidecar.close();
        vertex.close();
        tokenEndpoint.close();
    }

    private static ChatCompletionCreateParams.Builder ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage("What is Vertex AI?")
                .maxCompletionTokens(200);
    }

    private static MessageCreateParams hello(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(1024).system("Be brief.").addUserMessage("Hello, Claude").build();
    }

    /** The request reached Vertex with the service account's token and nothing of the client's key. */
    private FakeUpstream.Received sentWithBearerToken() {
        FakeUpstream.Received sent = vertex.last();
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.header("x-api-key")).isNull();
        assertThat(sent.header("anthropic-version")).isNull();
        assertThat(sent.body() + sent.headers()).doesNotContain(SPEND_KEY);
        return sent;
    }

    /** Claude's usage on the line, priced as claude-sonnet-4-5 (Vertex's @date id names it). */
    private void assertMetered(long input, long cachedInput, long output, long costMicros) {
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/vertex");
        assertThat(line.get("upstreamModel").asText()).isEqualTo(MODEL);
        assertThat(line.get("spendKey").asText()).isEqualTo("team/bot");
        assertThat(line.at("/tokens/input").asLong()).isEqualTo(input);
        assertThat(line.at("/tokens/cachedInput").asLong()).isEqualTo(cachedInput);
        assertThat(line.at("/tokens/output").asLong()).isEqualTo(output);
        assertThat(line.get("costMicros").asLong()).isEqualTo(costMicros);
        assertThat(sidecar.usageLogText()).doesNotContain(TOKEN).doesNotContain("PRIVATE KEY");
    }

    @Test
    void openAiChatGoesToRawPredictWithTheVersionInTheBodyAndIsMeteredAsClaude() throws Exception {
        vertex.enqueue(Reply.json(200, Fixtures.read("vertex/claude-message.json")));

        ChatCompletion completion = openAi.chat().completions().create(ask("claude").build());

        assertThat(completion.choices().get(0).message().content())
                .hasValue("Vertex AI is Google Cloud's platform for building and running machine-learning models.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(1840 + 2048);
        account.verifyTokenRequest(tokenEndpoint.last().body());
        FakeUpstream.Received sent = sentWithBearerToken();
        assertThat(sent.uri()).isEqualTo(CLAUDE_PATH + "rawPredict");
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"What is Vertex AI?"}]}],
                 "system":"Be brief.","max_tokens":200,"anthropic_version":"vertex-2023-10-16"}"""));
        // 1840×3 + 2048×0.30 + 212×15 = 5520 + 614.4 + 3180 = 9314.4 µ$ → 9314.
        assertMetered(1840, 2048, 212, 9314);
    }

    @Test
    void openAiStreamGoesToStreamRawPredictAndIsMeteredFromClaudesEvents() throws Exception {
        vertex.enqueue(Reply.sse(Fixtures.read("vertex/claude-stream.sse")));

        StringBuilder text = new StringBuilder();
        List<CompletionUsage> usage = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(ask("claude")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
                chunk.usage().ifPresent(usage::add);
            });
        }

        assertThat(text).hasToString("Hello from Vertex AI!");
        assertThat(usage).singleElement().satisfies(u -> {
            assertThat(u.promptTokens()).isEqualTo(27);
            assertThat(u.completionTokens()).isEqualTo(14);
        });
        FakeUpstream.Received sent = sentWithBearerToken();
        assertThat(sent.uri()).isEqualTo(CLAUDE_PATH + "streamRawPredict");
        assertThat(sent.header("accept")).isEqualTo("text/event-stream");
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"What is Vertex AI?"}]}],
                 "system":"Be brief.","max_tokens":200,"stream":true,"anthropic_version":"vertex-2023-10-16"}"""));
        // 27×3 + 14×15 = 81 + 210 = 291 µ$.
        assertMetered(27, 0, 14, 291);
    }

    @Test
    void anthropicSdkMessageIsPassedThroughWithoutTheModelAndWithVertexsVersion() throws Exception {
        vertex.enqueue(Reply.json(200, Fixtures.read("vertex/claude-message.json")));

        Message message = anthropic.messages().create(hello("claude"));

        assertThat(message.id()).isEqualTo("msg_vrtx_01Kp3GmYQZ6b8VjH4cFzN2aT");
        assertThat(message.usage().cacheReadInputTokens()).contains(2048L);
        FakeUpstream.Received sent = sentWithBearerToken();
        assertThat(sent.uri()).isEqualTo(CLAUDE_PATH + "rawPredict");
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"max_tokens":1024,"messages":[{"content":"Hello, Claude","role":"user"}],"system":"Be brief.",
                 "anthropic_version":"vertex-2023-10-16"}"""));
        assertMetered(1840, 2048, 212, 9314);
    }

    @Test
    void anthropicSdkStreamIsPassedThroughEventByEvent() throws Exception {
        vertex.enqueue(Reply.sse(Fixtures.read("vertex/claude-stream.sse")));

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(hello("claude"))) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Hello from Vertex AI!");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(14);
        FakeUpstream.Received sent = sentWithBearerToken();
        assertThat(sent.uri()).isEqualTo(CLAUDE_PATH + "streamRawPredict");
        JsonNode body = JSON.readTree(sent.body());
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.has("model")).isFalse();
        assertThat(body.get("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertMetered(27, 0, 14, 291);
    }

    @Test
    void claudesOwnBadRequestReachesTheAnthropicSdkAsItsError() {
        vertex.enqueue(Reply.json(400, Fixtures.read("vertex/claude-error-400.json")));

        assertThatThrownBy(() -> anthropic.messages().create(hello("claude")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("roles must alternate");
        assertThat(vertex.received()).hasSize(1);
    }

    @Test
    void aGeminiModelOnTheSameProviderStillGoesToGenerateContent() throws Exception {
        vertex.enqueue(Reply.json(200, Fixtures.read("gemini/generate-content.json")));

        Message message = anthropic.messages().create(hello("gemini"));

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Hello! How can I help you today?");
        FakeUpstream.Received sent = sentWithBearerToken();
        assertThat(sent.uri()).isEqualTo("/v1/projects/my-project/locations/us-east5/publishers/google/models/gemini-2.0-flash:generateContent");
        assertThat(JSON.readTree(sent.body()).at("/contents/0/parts/0/text").asText()).isEqualTo("Hello, Claude");
    }

    @Test
    void claudeOnVertexServesNoEmbeddings() {
        HttpResponse<String> response = sidecar.post("/v1/embeddings", "{\"model\":\"claude\",\"input\":\"Hello\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("api_not_served");
        assertThat(vertex.received()).isEmpty();
    }
}
