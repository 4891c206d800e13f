package dev.tollgate.sidecar.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.api.ResponsesRequest;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.StreamTranslation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AzureOpenAiAdapterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final ProviderConfig AZURE = azure(Map.of());

    private final AzureOpenAiAdapter adapter = new AzureOpenAiAdapter();

    private static ProviderConfig azure(Map<String, String> options) {
        return new ProviderConfig("ai/azure", "azure-openai", "https://contoso.openai.azure.com/", KEY, null,
                Map.of("x-ms-client-request-id", "tollgate"), options, null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ChatRequest chat(boolean stream) {
        return ChatRequest.parse(bytes("{\"model\":\"chat\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":50}"));
    }

    @Test
    void chatGoesToTheDeploymentWithTheDocumentedApiVersionAndTheKeyInApiKey() throws Exception {
        UpstreamRequest sent = adapter.chat().request(chat(false), "gpt-4o-prod", AZURE);

        assertThat(sent.uri()).hasToString(
                "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
        assertThat(sent.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("x-ms-client-request-id", "tollgate",
                "Content-Type", "application/json", "Accept", "application/json", "api-key", KEY));
        // The deployment names the model; the body carries none.
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree(
                "{\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":50}"));
    }

    @Test
    void theProvidersApiVersionWinsAndAStreamAsksForUsage() throws Exception {
        UpstreamRequest sent = adapter.chat().request(chat(true), "gpt-4o-prod", azure(Map.of("apiVersion", "2025-04-01-preview")));

        assertThat(sent.uri()).hasToString(
                "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2025-04-01-preview");
        assertThat(sent.headers()).containsEntry("Accept", "text/event-stream");
        assertThat(JSON.readTree(sent.body()).get("stream_options").get("include_usage").asBoolean()).isTrue();
    }

    @Test
    void embeddingsGoToTheDeploymentAndResponsesToTheV1ApiWithTheDeploymentAsModel() throws Exception {
        EmbeddingsRequest embed = EmbeddingsRequest.parse(bytes("{\"model\":\"embed\",\"input\":\"hello\"}"));
        UpstreamRequest embedding = adapter.embeddings("te3-large").orElseThrow().request(embed, "te3-large", AZURE);
        assertThat(embedding.uri()).hasToString(
                "https://contoso.openai.azure.com/openai/deployments/te3-large/embeddings?api-version=2024-10-21");
        assertThat(JSON.readTree(embedding.body())).isEqualTo(JSON.readTree("{\"input\":\"hello\"}"));
        assertThat(embedding.headers()).containsEntry("api-key", KEY).doesNotContainKey("Authorization");

        ResponsesRequest respond = ResponsesRequest.parse(bytes("{\"model\":\"assistant\",\"input\":\"This is a test\"}"));
        UpstreamRequest response = adapter.responses("gpt-41-nano").orElseThrow().request(respond, "gpt-41-nano", AZURE);
        assertThat(response.uri()).hasToString("https://contoso.openai.azure.com/openai/v1/responses");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"model\":\"gpt-41-nano\",\"input\":\"This is a test\"}"));
        assertThat(response.headers()).containsEntry("api-key", KEY).doesNotContainKey("Authorization");
    }

    @Test
    void aDeploymentNameIsEncodedAsOnePathSegment() {
        UpstreamRequest sent = adapter.chat().request(chat(false), "my deployment/1", AZURE);

        assertThat(sent.uri().getRawPath()).isEqualTo("/openai/deployments/my%20deployment%2F1/chat/completions");
    }

    @Test
    void answerWithAzuresFilterResultsPassesThroughUntouchedAndIsMetered() {
        byte[] body = bytes(Fixtures.read("azure/chat-completion.json"));

        TranslatedAnswer answer = adapter.chat().answer(body, chat(false));

        assertThat(answer.clientBody()).isEqualTo(body);
        assertThat(answer.usage()).isEqualTo(new Usage(276, 1024, 0, 9, 0));
        assertThat(answer.responseModel()).isEqualTo("gpt-4o-2024-08-06");
    }

    @Test
    void streamKeepsThePromptFilterChunkTakesTheModelFromTheFirstChunkThatNamesOneAndDropsTheUnaskedUsage() {
        String upstream = Fixtures.read("azure/chat-stream.sse");
        StreamTranslator translator = adapter.chat().stream(chat(true));

        String client = StreamTranslation.run(translator, upstream);

        String usageChunk = upstream.lines().filter(l -> l.contains("\"usage\":{")).findFirst().orElseThrow() + "\n\n";
        assertThat(client).isEqualTo(upstream.replace(usageChunk, ""));
        assertThat(client).startsWith("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\"");
        assertThat(translator.finished()).isTrue();
        assertThat(translator.usage()).isEqualTo(new Usage(12, 0, 0, 4, 0));
        assertThat(translator.responseModel()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(translator.outputText()).hasToString("Hello from Azure!");
    }

    @Test
    void aCompletionTheFilterStoppedEndsWithFinishReasonContentFilterAndIsStillMetered() {
        StreamTranslator translator = adapter.chat().stream(chat(true));

        String client = StreamTranslation.run(translator, Fixtures.read("azure/chat-stream-content-filter.sse"));

        assertThat(client).contains("\"finish_reason\":\"content_filter\"").contains("\"violence\":{\"filtered\":true,\"severity\":\"medium\"}")
                .endsWith("data: [DONE]\n\n");
        assertThat(translator.usage()).isEqualTo(new Usage(15, 0, 0, 3, 0));
    }

    @Test
    void aBlockedPromptIsTheClientsErrorAndNamesTheCategories() {
        UpstreamFailure failure = adapter.failure(400, Optional.empty(), bytes(Fixtures.read("azure/error-content-filter.json")), AZURE);

        assertThat(failure.kind()).isEqualTo(FailureClass.CLIENT_ERROR);
        assertThat(failure.status()).isEqualTo(400);
        assertThat(failure.message()).isEqualTo(
                "the prompt was blocked by Azure OpenAI's content filter (hate: high, jailbreak: detected, violence: medium)");
    }

    @Test
    void rateLimitsServerErrorsAndBadKeysAreClassifiedLikeOpenAisWithoutTheKey() {
        UpstreamFailure limited = adapter.failure(429, Optional.of("6"), bytes(Fixtures.read("azure/error-429.json")), AZURE);
        assertThat(limited.kind()).isEqualTo(FailureClass.RATE_LIMITED);
        assertThat(limited.retryAfterMs()).isEqualTo(6_000);
        assertThat(limited.message()).startsWith("Requests to the ChatCompletions_Create Operation");

        UpstreamFailure badKey = adapter.failure(401, Optional.empty(), bytes(Fixtures.read("azure/error-401.json")), AZURE);
        assertThat(badKey.kind()).isEqualTo(FailureClass.SERVER_ERROR);
        assertThat(badKey.message()).contains("ai/azure").doesNotContain(KEY);

        assertThat(adapter.failure(503, Optional.empty(), bytes("<html>Service Unavailable</html>"), AZURE).kind())
                .isEqualTo(FailureClass.SERVER_ERROR);
        UpstreamFailure plain400 = adapter.failure(400, Optional.empty(),
                bytes("{\"error\":{\"code\":\"BadRequest\",\"message\":\"Unrecognized request argument supplied: foo\"}}"), AZURE);
        assertThat(plain400.kind()).isEqualTo(FailureClass.CLIENT_ERROR);
        assertThat(plain400.message()).isEqualTo("Unrecognized request argument supplied: foo");
    }

    @Test
    void aMissingDeploymentIsOurConfigurationSoTheRouteFailsOver() {
        UpstreamFailure failure = adapter.failure(404, Optional.empty(), bytes(Fixtures.read("azure/error-deployment-not-found.json")), AZURE);

        assertThat(failure.kind()).isEqualTo(FailureClass.SERVER_ERROR);
        assertThat(failure.message()).contains("ai/azure").contains("no deployment");
    }
}
