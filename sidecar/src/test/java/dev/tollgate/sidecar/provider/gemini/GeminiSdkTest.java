package dev.tollgate.sidecar.provider.gemini;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against a running sidecar whose route goes to Gemini (an in-test Google AI). */
class GeminiSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "AIzaSyGeminiTestKey-0123456789";
    private static final String BACKUP_KEY = "AIzaSyGeminiBackupKey-987654321";

    private FakeUpstream gemini;
    private FakeUpstream backup;
    private TestSidecar sidecar;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        gemini = FakeUpstream.start();
        backup = FakeUpstream.start();
        sidecar = TestSidecar.start(config(
                List.of(provider("ai/gemini", gemini, KEY), provider("ai/gemini-backup", backup, BACKUP_KEY)),
                List.of(route("team/chat", List.of("chat"), backend("ai/gemini", "gemini-2.0-flash", 0),
                                backend("ai/gemini-backup", "gemini-2.0-flash", 1)),
                        route("team/think", List.of("thinker"), backend("ai/gemini", "gemini-2.5-flash", 0)),
                        route("team/embed", List.of("embed"), backend("ai/gemini", "gemini-embedding-001", 0))),
                List.of()));
        client = sidecar.openAi("not-a-spend-key");
    }

    @AfterEach
    void stop() {
        sidecar.close();
        gemini.close();
        backup.close();
    }

    private static ProviderConfig provider(String id, FakeUpstream upstream, String key) {
        return new ProviderConfig(id, "gemini", upstream.root(), key, null, null, null, null);
    }

    private static ChatCompletionCreateParams.Builder hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
    }

    @Test
    void completionGoesToGenerateContentWithTheKeyInItsHeaderAndIsMeteredExactly() throws Exception {
        gemini.enqueue(Reply.json(200, Fixtures.read("gemini/generate-content.json")));

        ChatCompletion completion = client.chat().completions().create(hello("chat").temperature(0.5).build());

        assertThat(completion.choices().get(0).message().content()).hasValue("Hello! How can I help you today?");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo("gemini-2.0-flash");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(13);
        FakeUpstream.Received sent = gemini.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.uri()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
        assertThat(sent.header("x-goog-api-key")).isEqualTo(KEY);
        assertThat(sent.header("Authorization")).isNull();
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"contents": [{"role": "user", "parts": [{"text": "Say hello"}]}], "generationConfig": {"temperature": 0.5}}"""));

        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/gemini");
        assertThat(line.get("upstreamModel").asText()).isEqualTo("gemini-2.0-flash");
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(4);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(9);
        // gemini-2.0-flash: $0.10 / 1M input, $0.40 / 1M output → 4×0.10 + 9×0.40 = 4.0 µ$.
        assertThat(line.get("costMicros").asLong()).isEqualTo(4);
        assertThat(sidecar.usageLogText()).doesNotContain(KEY);
    }

    @Test
    void cachedAndThinkingTokensArePricedAtTheirOwnRates() {
        gemini.enqueue(Reply.json(200, Fixtures.read("gemini/generate-content-thinking-cached.json")));

        client.chat().completions().create(hello("thinker").build());

        JsonNode line = sidecar.usageLines(1).get(0);
        JsonNode tokens = line.get("tokens");
        assertThat(tokens.get("input").asLong()).isEqualTo(152);
        assertThat(tokens.get("cachedInput").asLong()).isEqualTo(2048);
        assertThat(tokens.get("output").asLong()).isEqualTo(7);
        assertThat(tokens.get("reasoning").asLong()).isEqualTo(412);
        // gemini-2.5-flash: 152×0.30 + 2048×0.03 + (7+412)×2.50 = 45.6 + 61.44 + 1047.5 = 1154.54 µ$ → 1155.
        assertThat(line.get("costMicros").asLong()).isEqualTo(1155);
    }

    @Test
    void streamArrivesChunkByChunkAndIsMeteredFromTheLastChunksUsage() {
        gemini.enqueue(Reply.sse(Fixtures.read("gemini/stream.sse"), 5, null));

        StringBuilder text = new StringBuilder();
        int chunks = 0;
        ChatCompletionChunk.Choice.FinishReason finish = null;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(hello("chat").build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunks++;
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    if (choice.finishReason().isPresent()) {
                        finish = choice.finishReason().get();
                    }
                }
            }
        }

        assertThat(text).hasToString("Hello! How can I help you today?");
        assertThat(chunks).isEqualTo(3);
        assertThat(finish).isEqualTo(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(gemini.last().uri()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("streamed").asBoolean()).isTrue();
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(4);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(9);
        assertThat(line.get("costMicros").asLong()).isEqualTo(4);
    }

    @Test
    void aStreamCutBeforeItsFinishReasonEndsWithAnErrorEventAndIsStillBilled() {
        gemini.enqueue(Reply.sse(Fixtures.read("gemini/stream.sse"), 0, 2));

        String body = sidecar.post("/v1/chat/completions", "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}").body();

        assertThat(body).contains("Hello").contains("upstream_stream_cut").doesNotContain("[DONE]");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(502);
        assertThat(line.get("tokens").get("output").asLong()).isPositive();
    }

    @Test
    void toolCallRoundTrip() throws Exception {
        gemini.enqueue(Reply.json(200, Fixtures.read("gemini/function-call.json")),
                Reply.json(200, Fixtures.read("gemini/function-result-answer.json")));
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").description("Current weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                "location", Map.of("type", "string"), "unit", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("location")))
                        .build())
                .build()).build();

        ChatCompletion first = client.chat().completions().create(ChatCompletionCreateParams.builder().model("chat")
                .addUserMessage("What is the weather in Boston?").addTool(weather).build());

        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageToolCall call = first.choices().get(0).message().toolCalls().orElseThrow().get(0);
        assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.asFunction().function().arguments()))
                .isEqualTo(JSON.readTree("{\"location\":\"Boston, MA\",\"unit\":\"celsius\"}"));
        assertThat(JSON.readTree(gemini.last().body()).at("/tools/0/functionDeclarations/0")).isEqualTo(JSON.readTree("""
                {"name": "get_weather", "description": "Current weather in a city", "parametersJsonSchema": {"type": "object",
                 "properties": {"location": {"type": "string"}, "unit": {"type": "string"}}, "required": ["location"]}}"""));

        // The call comes back with content "" as many clients echo it; Gemini refuses an empty text part.
        ChatCompletion second = client.chat().completions().create(ChatCompletionCreateParams.builder().model("chat")
                .addUserMessage("What is the weather in Boston?")
                .addMessage(ChatCompletionAssistantMessageParam.builder().content("").addToolCall(call).build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.asFunction().id())
                        .content("{\"temperature\": 22, \"sky\": \"sunny\"}").build())
                .addTool(weather).build());

        assertThat(second.choices().get(0).message().content()).hasValue("It is 22 degrees Celsius and sunny in Boston.");
        JsonNode contents = JSON.readTree(gemini.last().body()).get("contents");
        assertThat(contents.get(1)).isEqualTo(JSON.readTree("""
                {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": {"location": "Boston, MA", "unit": "celsius"}}}]}"""));
        assertThat(contents.get(2)).isEqualTo(JSON.readTree("""
                {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {"temperature": 22, "sky": "sunny"}}}]}"""));
        List<JsonNode> lines = sidecar.usageLines(2);
        assertThat(lines.get(1).get("tokens").get("input").asLong()).isEqualTo(91);
        assertThat(lines.get(1).get("tokens").get("output").asLong()).isEqualTo(13);
    }

    @Test
    void rateLimitedOrKeyRejectedGeminiFailsOverToTheBackupBackend() {
        gemini.enqueue(Reply.json(429, Fixtures.read("gemini/error-429.json")),
                Reply.json(400, Fixtures.read("gemini/error-api-key.json")));
        backup.enqueue(Reply.json(200, Fixtures.read("gemini/generate-content.json")),
                Reply.json(200, Fixtures.read("gemini/generate-content.json")));

        client.chat().completions().create(hello("chat").build());
        client.chat().completions().create(hello("chat").build());

        assertThat(gemini.received()).hasSize(2);
        assertThat(backup.received()).hasSize(2);
        assertThat(backup.last().header("x-goog-api-key")).isEqualTo(BACKUP_KEY);
        List<JsonNode> lines = sidecar.usageLines(2);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("provider").asText()).isEqualTo("ai/gemini-backup");
            assertThat(line.get("attempts").asInt()).isEqualTo(2);
        });
    }

    @Test
    void geminisOwn400IsTheClientsErrorAndIsNotRetried() {
        gemini.enqueue(Reply.json(400, Fixtures.read("gemini/error-400.json")));

        assertThatThrownBy(() -> client.chat().completions().create(hello("chat").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("max_output_tokens must be positive");
        assertThat(gemini.received()).hasSize(1);
        assertThat(backup.received()).isEmpty();
    }

    @Test
    void everyBackendDownIsA502NamingTheLastStatusAndNeverAKey() {
        gemini.always(Reply.json(503, Fixtures.read("gemini/error-503.json")));
        backup.always(Reply.json(503, Fixtures.read("gemini/error-503.json")));

        var response = sidecar.post("/v1/chat/completions", "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("503").contains("overloaded").doesNotContain(KEY).doesNotContain(BACKUP_KEY);
    }

    @Test
    void aBlockedPromptIsA400NamingTheReasonNotRetriedElsewhereAndNotCharged() {
        gemini.enqueue(Reply.json(200, Fixtures.read("gemini/prompt-blocked.json")));

        assertThatThrownBy(() -> client.chat().completions().create(hello("chat").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("blocked the prompt (blockReason SAFETY)");

        assertThat(gemini.received()).hasSize(1);
        assertThat(backup.received()).isEmpty();
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(400);
        assertThat(line.get("error").asText()).isEqualTo("upstream_rejected_request");
        assertThat(line.get("provider").asText()).isEqualTo("ai/gemini");
        assertThat(line.get("costMicros").asLong()).isZero();
    }

    @Test
    void aStreamWhoseAnswerIsWithheldIsA400BeforeAnyChunk() {
        String withheld = "data: " + Fixtures.read("gemini/safety-finish.json").replaceAll("\\s*\n\\s*", "") + "\n\n";
        gemini.enqueue(Reply.sse(withheld));

        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(hello("chat").build())) {
                stream.stream().forEach(chunk -> { });
            }
        }).isInstanceOf(BadRequestException.class).hasMessageContaining("withheld the answer (finishReason SAFETY)");

        assertThat(backup.received()).isEmpty();
        assertThat(sidecar.usageLines(1).get(0).get("costMicros").asLong()).isZero();
    }

    @Test
    void embeddingsGoToBatchEmbedContentsOneRequestPerText() throws Exception {
        gemini.enqueue(Reply.json(200, Fixtures.read("gemini/batch-embed-contents.json")));

        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model("embed")
                .inputOfArrayOfStrings(List.of("What is the meaning of life?", "How does a gateway meter tokens?"))
                .dimensions(4).build());

        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(0).embedding()).containsExactly(0.013168523f, -0.008711934f, -0.046782676f, 0.00069968984f);
        assertThat(response.data().get(1).index()).isEqualTo(1);
        FakeUpstream.Received sent = gemini.last();
        assertThat(sent.uri()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        assertThat(sent.header("x-goog-api-key")).isEqualTo(KEY);
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"requests": [
                  {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "What is the meaning of life?"}]}, "outputDimensionality": 4},
                  {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "How does a gateway meter tokens?"}]}, "outputDimensionality": 4}]}"""));
        // Gemini reports no tokens for embeddings: the gateway's estimate is metered and shown alike.
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(response.usage().promptTokens()).isPositive();
    }

    @Test
    void tokenIdsCannotBeEmbeddedByGemini() {
        var response = sidecar.post("/v1/embeddings", "{\"model\":\"embed\",\"input\":[[1,2,3]]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("token ids");
        assertThat(gemini.received()).isEmpty();
    }
}
