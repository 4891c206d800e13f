package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI SDK through a sidecar to an Azure OpenAI resource: deployment URLs, api-key, filters, errors. */
class AzureOpenAiSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AZURE_KEY = "f0e1d2c3b4a5968778695a4b3c2d1e0f";

    private FakeUpstream azure;
    private FakeUpstream openAiUpstream;
    private TestSidecar sidecar;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        azure = FakeUpstream.start();
        openAiUpstream = FakeUpstream.start();
        ProviderConfig resource = new ProviderConfig("ai/azure", "azure-openai", azure.root(), AZURE_KEY, null, null,
                Map.of("apiVersion", "2024-10-21"), null);
        sidecar = TestSidecar.start(config(List.of(resource, openAi("ai/openai", openAiUpstream)),
                List.of(route("team/chat", List.of("chat"), backend("ai/azure", "gpt-4o", 0)),
                        route("team/embed", List.of("embed"), backend("ai/azure", "text-embedding-3-large", 0)),
                        route("team/assistant", List.of("assistant"), backend("ai/azure", "gpt-4.1", 0)),
                        route("team/fallback", List.of("fallback"), backend("ai/azure", "gpt-4o-mini", 0),
                                backend("ai/openai", "gpt-4o-mini", 1))),
                List.of()));
        client = sidecar.openAi("no-spend-key");
    }

    @AfterEach
    void stop() {
        sidecar.close();
        azure.close();
        openAiUpstream.close();
    }

    private static ChatCompletionCreateParams hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
    }

    private void assertSentToAzure(FakeUpstream.Received sent, String uri) {
        assertThat(sent.uri()).isEqualTo(uri);
        assertThat(sent.header("api-key")).isEqualTo(AZURE_KEY);
        assertThat(sent.header("Authorization")).isNull();
    }

    @Test
    void chatGoesToTheDeploymentAndAzuresFilterResultsReachTheClient() throws Exception {
        azure.enqueue(Reply.json(200, Fixtures.read("azure/chat-completion.json")));

        ChatCompletion completion = client.chat().completions().create(hello("chat"));

        assertThat(completion.choices().get(0).message().content()).hasValue("Hello! How can I help you today?");
        assertThat(completion._additionalProperties()).containsKey("prompt_filter_results");
        FakeUpstream.Received sent = azure.last();
        assertSentToAzure(sent, "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
        assertThat(JSON.readTree(sent.body()).has("model")).isFalse();
        assertThat(JSON.readTree(sent.body()).get("messages").get(0).get("content").asText()).isEqualTo("Say hello");

        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("providerType").asText()).isEqualTo("azure-openai");
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(276);
        assertThat(line.get("tokens").get("cachedInput").asLong()).isEqualTo(1024);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(9);
        // gpt-4o: 276×2.50 + 1024×1.25 + 9×10.00 = 690 + 1280 + 90 = 2060 µ$.
        assertThat(line.get("costMicros").asLong()).isEqualTo(2060);
        assertThat(sidecar.usageLogText()).doesNotContain(AZURE_KEY);
    }

    @Test
    void aStreamTheContentFilterStoppedEndsWithThatFinishReasonAndIsMetered() {
        azure.enqueue(Reply.sse(Fixtures.read("azure/chat-stream-content-filter.sse")));

        List<ChatCompletionChunk.Choice.FinishReason> reasons = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(hello("chat"))) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunk.choices().forEach(c -> {
                    c.delta().content().ifPresent(text::append);
                    c.finishReason().ifPresent(reasons::add);
                });
            }
        }

        assertThat(text).hasToString("Here is how");
        assertThat(reasons).containsExactly(ChatCompletionChunk.Choice.FinishReason.CONTENT_FILTER);
        assertThat(azure.last().header("Accept")).isEqualTo("text/event-stream");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(15);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(3);
        // gpt-4o: 15×2.50 + 3×10.00 = 67.5 µ$ → 68.
        assertThat(line.get("costMicros").asLong()).isEqualTo(68);
    }

    @Test
    void aPromptTheContentFilterBlockedIsA400NamingTheCategoriesAndIsNotRetried() {
        azure.enqueue(Reply.json(400, Fixtures.read("azure/error-content-filter.json")));

        assertThatThrownBy(() -> client.chat().completions().create(hello("fallback")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("blocked by Azure OpenAI's content filter (hate: high, jailbreak: detected, violence: medium)");
        assertThat(azure.received()).hasSize(1);
        assertThat(openAiUpstream.received()).as("another backend would block it too").isEmpty();
        assertThat(sidecar.usageLines(1).get(0).get("costMicros").asLong()).isZero();
    }

    @Test
    void aMissingDeploymentFailsOverToTheNextBackend() {
        azure.enqueue(Reply.json(404, Fixtures.read("azure/error-deployment-not-found.json")));
        openAiUpstream.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        ChatCompletion completion = client.chat().completions().create(hello("fallback"));

        assertThat(completion.choices().get(0).message().content()).hasValue("Hello! How can I assist you today?");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/openai");
        assertThat(line.get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void embeddingsGoToTheEmbeddingDeploymentAndAreMetered() throws Exception {
        azure.enqueue(Reply.json(200, Fixtures.read("azure/embeddings.json").replace("\"prompt_tokens\": 9", "\"prompt_tokens\": 90001")));

        var answer = client.embeddings().create(EmbeddingCreateParams.builder().model("embed").input("hello").build());

        assertThat(answer.data().get(0).embedding()).hasSize(5);
        FakeUpstream.Received sent = azure.last();
        assertSentToAzure(sent, "/openai/deployments/text-embedding-3-large/embeddings?api-version=2024-10-21");
        assertThat(JSON.readTree(sent.body()).has("model")).isFalse();
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(90_001);
        // text-embedding-3-large: 90,001 × 0.13 = 11,700.13 µ$ → 11,700.
        assertThat(line.get("costMicros").asLong()).isEqualTo(11_700);
    }

    @Test
    void aStreamedResponseGoesToAzuresV1ApiWithTheDeploymentAsModel() throws Exception {
        azure.enqueue(Reply.sse(Fixtures.read("openai/response-stream.sse")));

        StringBuilder text = new StringBuilder();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
                ResponseCreateParams.builder().model("assistant").input("Hello!").build())) {
            stream.stream().forEach(event -> event.outputTextDelta().ifPresent(d -> text.append(d.delta())));
        }

        assertThat(text).hasToString("Hi there! How can I assist you today?");
        FakeUpstream.Received sent = azure.last();
        assertSentToAzure(sent, "/openai/v1/responses");
        assertThat(JSON.readTree(sent.body()).get("model").asText()).isEqualTo("gpt-4.1");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(37);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(11);
        assertThat(line.get("costMicros").asLong()).isEqualTo(162);
    }
}
