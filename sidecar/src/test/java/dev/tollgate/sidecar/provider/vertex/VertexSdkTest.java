package dev.tollgate.sidecar.provider.vertex;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI Java SDK through a running sidecar to Gemini on Vertex AI, with an in-test token endpoint. */
class VertexSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "ya29.c.b0AXv0zTMh2Yc7ZqT0ExampleAccessTokenForTests";
    private static final String GEMINI_PATH = "/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.0-flash:";

    private FakeUpstream vertex;
    private FakeUpstream tokenEndpoint;
    private FakeUpstream fallback;
    private TestServiceAccount account;
    private TestSidecar sidecar;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        vertex = FakeUpstream.start();
        tokenEndpoint = FakeUpstream.start();
        fallback = FakeUpstream.start();
        account = new TestServiceAccount(tokenEndpoint.root() + "/token");
        sidecar = TestSidecar.start(config(
                List.of(vertexProvider(account.json()),
                        new ProviderConfig("ai/gemini", "gemini", fallback.root(), "AIzaSyFallbackKey-0123456789", null, null, null, null)),
                List.of(route("team/chat", List.of("chat"), backend("ai/vertex", "gemini-2.0-flash", 0),
                                backend("ai/gemini", "gemini-2.0-flash", 1)),
                        route("team/embed", List.of("embed"), backend("ai/vertex", "text-embedding-005", 0))),
                List.of()));
        client = sidecar.openAi("not-a-spend-key");
    }

    @AfterEach
    void stop() {
        sidecar.close();
        vertex.close();
        tokenEndpoint.close();
        fallback.close();
    }

    private ProviderConfig vertexProvider(String serviceAccountJson) {
        return new ProviderConfig("ai/vertex", "vertex-ai", vertex.root(), serviceAccountJson, null, null,
                Map.of("project", "my-project", "location", "us-central1"), null);
    }

    private ChatCompletion hello() {
        return client.chat().completions().create(ChatCompletionCreateParams.builder().model("chat").addUserMessage("Say hello").build());
    }

    @Test
    void chatGoesToGeminiOnVertexWithTheServiceAccountsTokenAndIsMetered() throws Exception {
        tokenEndpoint.enqueue(Reply.json(200, Fixtures.read("vertex/token.json")));
        vertex.enqueue(Reply.json(200, Fixtures.read("gemini/generate-content.json")));

        ChatCompletion completion = hello();

        assertThat(completion.choices().get(0).message().content()).hasValue("Hello! How can I help you today?");
        account.verifyTokenRequest(tokenEndpoint.last().body());
        FakeUpstream.Received sent = vertex.last();
        assertThat(sent.uri()).isEqualTo(GEMINI_PATH + "generateContent");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.header("x-goog-api-key")).isNull();
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree(
                "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Say hello\"}]}]}"));
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/vertex");
        assertThat(line.get("providerType").asText()).isEqualTo("vertex-ai");
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(4);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(9);
        assertThat(line.get("costMicros").asLong()).isEqualTo(4);
        assertThat(sidecar.usageLogText()).doesNotContain(TOKEN).doesNotContain("PRIVATE KEY");
    }

    @Test
    void severalRequestsShareOneTokenExchange() {
        tokenEndpoint.enqueue(Reply.json(200, Fixtures.read("vertex/token.json")));
        vertex.enqueue(Reply.json(200, Fixtures.read("gemini/generate-content.json")),
                Reply.json(200, Fixtures.read("gemini/generate-content.json")), Reply.sse(Fixtures.read("gemini/stream.sse")));

        hello();
        hello();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("chat").addUserMessage("Say hello").build())) {
            stream.stream().forEach(chunk -> { });
        }

        assertThat(tokenEndpoint.received()).hasSize(1);
        assertThat(vertex.received()).hasSize(3).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void streamComesFromStreamGenerateContentOnVertex() {
        tokenEndpoint.enqueue(Reply.json(200, Fixtures.read("vertex/token.json")));
        vertex.enqueue(Reply.sse(Fixtures.read("gemini/stream.sse")));

        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("chat").addUserMessage("Say hello").build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }

        assertThat(text).hasToString("Hello! How can I help you today?");
        assertThat(vertex.last().uri()).isEqualTo(GEMINI_PATH + "streamGenerateContent?alt=sse");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(9);
    }

    @Test
    void aRefusedTokenExchangeFailsOverAndNamesTheProviderNeverTheKey() {
        tokenEndpoint.always(Reply.json(400, Fixtures.read("vertex/token-invalid-grant.json")));
        fallback.enqueue(Reply.json(200, Fixtures.read("gemini/generate-content.json")));

        ChatCompletion completion = hello();

        assertThat(completion.choices().get(0).message().content()).hasValue("Hello! How can I help you today?");
        assertThat(vertex.received()).isEmpty();
        assertThat(sidecar.usageLines(1).get(0).get("provider").asText()).isEqualTo("ai/gemini");

        sidecar.sidecar().apply(config(List.of(vertexProvider(account.json())),
                List.of(route("team/chat", List.of("chat"), backend("ai/vertex", "gemini-2.0-flash", 0))), List.of()));
        HttpResponse<String> failed = sidecar.post("/v1/chat/completions",
                "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.body()).contains("ai/vertex").contains("access token").contains("invalid_grant")
                .doesNotContain("PRIVATE").doesNotContain(TestServiceAccount.EMAIL);
    }

    @Test
    void aVertexRefusalQuotingTheAccessTokenReachesTheClientWithoutIt() {
        tokenEndpoint.enqueue(Reply.json(200, Fixtures.read("vertex/token.json")));
        vertex.enqueue(Reply.json(400, "{\"error\":{\"code\":400,\"message\":\"Request had invalid authentication"
                + " credentials (key " + TOKEN + "). Expected OAuth 2 access token.\",\"status\":\"INVALID_ARGUMENT\"}}"));

        HttpResponse<String> failed = sidecar.post("/v1/chat/completions",
                "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(failed.body()).contains("The provider rejected the request").contains("invalid authentication")
                .doesNotContain(TOKEN).doesNotContain("ya29.");
        assertThat(vertex.last().header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sidecar.usageLogText()).doesNotContain(TOKEN);
    }

    @Test
    void permissionDeniedOnVertexIsTheGatewaysCredentialsAndFailsOver() {
        tokenEndpoint.enqueue(Reply.json(200, Fixtures.read("vertex/token.json")));
        vertex.enqueue(Reply.json(403, Fixtures.read("vertex/error-403.json")));
        fallback.enqueue(Reply.json(200, Fixtures.read("gemini/generate-content.json")));

        hello();

        assertThat(vertex.received()).hasSize(1);
        assertThat(fallback.received()).hasSize(1);
    }

    @Test
    void embeddingsGoToPredictAndAreMeteredByVertexsOwnTokenCounts() throws Exception {
        tokenEndpoint.enqueue(Reply.json(200, Fixtures.read("vertex/token.json")));
        vertex.enqueue(Reply.json(200, Fixtures.read("vertex/predict-embeddings.json")));

        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model("embed")
                .inputOfArrayOfStrings(List.of("What is the meaning of life?", "Gateways meter tokens.")).dimensions(3).build());

        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(1).embedding()).containsExactly(-0.0094604492f, 0.0253601074f, 0.0401000977f);
        assertThat(response.usage().promptTokens()).isEqualTo(13);
        FakeUpstream.Received sent = vertex.last();
        assertThat(sent.uri()).isEqualTo("/v1/projects/my-project/locations/us-central1/publishers/google/models/text-embedding-005:predict");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"instances": [{"content": "What is the meaning of life?"}, {"content": "Gateways meter tokens."}],
                 "parameters": {"outputDimensionality": 3}}"""));
        assertThat(sidecar.usageLines(1).get(0).get("tokens").get("input").asLong()).isEqualTo(13);
    }

    @Test
    void aVertexProviderWithoutProjectOrAUsableKeyIsRejectedWithoutQuotingTheKey() {
        ProviderConfig noProject = new ProviderConfig("ai/vertex", "vertex-ai", null, account.json(), null, null,
                Map.of("location", "us-central1"), null);
        Assertions.assertThatThrownBy(() -> config(List.of(noProject), List.of(), List.of()).validate())
                .isInstanceOf(ConfigException.class).hasMessage("providers[0].options.project: required for provider type 'vertex-ai'");
        ProviderConfig badKey = vertexProvider("{\"client_email\": \"x@y\", \"private_key\": \"sk-not-a-pem-key-0123456789\"}");
        Assertions.assertThatThrownBy(() -> config(List.of(badKey), List.of(), List.of()).validate())
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers[0].apiKey").hasMessageNotContaining("sk-not");
    }
}
