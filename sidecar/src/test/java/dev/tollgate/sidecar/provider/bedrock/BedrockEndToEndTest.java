package dev.tollgate.sidecar.provider.bedrock;

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
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK against a running sidecar whose route goes to an in-test Bedrock
 * runtime speaking Converse, the binary event stream and InvokeModel, signed with SigV4.
 */
class BedrockEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLEsessionTOKEN0123456789";
    private static final String API_KEY = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl";
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private FakeUpstream bedrock;
    private FakeUpstream fallback;
    private TestSidecar sidecar;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        bedrock = FakeUpstream.start();
        fallback = FakeUpstream.start();
        ProviderConfig signed = new ProviderConfig("ai/bedrock", "bedrock", bedrock.root(), null,
                Map.of("accessKeyId", ACCESS_KEY, "secretAccessKey", SECRET_KEY, "sessionToken", SESSION_TOKEN),
                null, Map.of("region", "us-east-1"), null);
        ProviderConfig keyed = new ProviderConfig("ai/bedrock-west", "bedrock", fallback.root(), API_KEY, null, null,
                Map.of("region", "us-west-2"), null);
        sidecar = TestSidecar.start(config(List.of(signed, keyed),
                List.of(route("team/chat", List.of("chat"), new RetryConfig(2, RetryConfig.ALL_CLASSES, 10),
                                TimeoutConfig.defaults(), backend("ai/bedrock", MODEL, 0), backend("ai/bedrock-west", MODEL, 1)),
                        route("team/embed", List.of("embed"), backend("ai/bedrock", "amazon.titan-embed-text-v2:0", 0))),
                List.of()));
        client = sidecar.openAi("any-sdk-key");
    }

    @AfterEach
    void stop() {
        sidecar.close();
        bedrock.close();
        fallback.close();
    }

    @Test
    void aCompletionIsSignedSentToConverseAndMeteredExactly() throws Exception {
        bedrock.enqueue(Reply.json(200, Fixtures.read("bedrock/converse-text.json")));

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder().model("chat")
                .addSystemMessage("You are a radio assistant.").addUserMessage("What is the most popular song on WZPZ?")
                .maxCompletionTokens(200).build());

        assertThat(completion.choices().get(0).message().content())
                .hasValue("The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(512);
        FakeUpstream.Received sent = bedrock.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.uri()).isEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"messages":[{"role":"user","content":[{"text":"What is the most popular song on WZPZ?"}]}],
                 "system":[{"text":"You are a radio assistant."}],
                 "inferenceConfig":{"maxTokens":200}}
                """));
        assertSignedWithTheAccountKey(sent, "/converse");

        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/bedrock");
        assertThat(line.get("providerType").asText()).isEqualTo("bedrock");
        assertThat(line.get("tokens")).isEqualTo(JSON.readTree(
                "{\"input\":512,\"cachedInput\":0,\"cacheWrite\":0,\"output\":24,\"reasoning\":0}"));
        // claude-3-5-haiku on Bedrock: $0.80 / 1M input, $4.00 / 1M output → 512×0.80 + 24×4.00 = 505.6 µ$ → 506.
        assertThat(line.get("costMicros").asLong()).isEqualTo(506);
        assertThat(sidecar.usageLogText()).doesNotContain(SECRET_KEY).doesNotContain(SESSION_TOKEN);
    }

    @Test
    void cacheReadAndWriteTokensArePricedAtTheirOwnRates() throws Exception {
        bedrock.enqueue(Reply.json(200, Fixtures.read("bedrock/converse-cached.json")));

        client.chat().completions().create(ChatCompletionCreateParams.builder().model("chat").addUserMessage("Refunds?").build());

        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("tokens")).isEqualTo(JSON.readTree(
                "{\"input\":12,\"cachedInput\":3000,\"cacheWrite\":1100,\"output\":14,\"reasoning\":0}"));
        // 12×0.80 + 3000×0.08 + 1100×1.00 + 14×4.00 = 9.6 + 240 + 1100 + 56 = 1405.6 µ$ → 1406.
        assertThat(line.get("costMicros").asLong()).isEqualTo(1406);
    }

    @Test
    void aStreamArrivesChunkByChunkFromTheEventStreamAndIsMeteredExactly() throws Exception {
        bedrock.enqueue(Reply.binary(EVENT_STREAM, BedrockTestSupport.frames(Fixtures.read("bedrock/converse-stream-text.events"))));

        List<String> pieces = new ArrayList<>();
        List<Long> usageTotals = new ArrayList<>();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("chat")
                .addUserMessage("What is the most popular song on WZPZ?")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunk.choices().forEach(c -> c.delta().content().filter(s -> !s.isEmpty()).ifPresent(pieces::add));
                chunk.usage().ifPresent(u -> usageTotals.add(u.totalTokens()));
            }
        }

        assertThat(pieces).containsExactly("The most popular", " song on WZPZ is Elemental Hotel", " by 8 Storey Hike.");
        assertThat(usageTotals).containsExactly(536L);
        assertThat(bedrock.last().uri()).isEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream");
        assertThat(bedrock.last().header("Accept")).isEqualTo(EVENT_STREAM);
        assertSignedWithTheAccountKey(bedrock.last(), "/converse-stream");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("streamed").asBoolean()).isTrue();
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(512);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(24);
        assertThat(line.get("costMicros").asLong()).isEqualTo(506);
    }

    @Test
    void aToolCallMakesTheRoundTripStreamedOutAndResultIn() throws Exception {
        bedrock.enqueue(Reply.binary(EVENT_STREAM, BedrockTestSupport.frames(Fixtures.read("bedrock/converse-stream-tool.events"))),
                Reply.json(200, Fixtures.read("bedrock/converse-text.json")));
        ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder().model("chat")
                .addUserMessage("What is the most popular song on WZPZ?")
                .addFunctionTool(FunctionDefinition.builder().name("top_song")
                        .description("Get the most popular song played on a radio station.")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("sign", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("sign"))).build())
                        .build());

        StringBuilder id = new StringBuilder();
        StringBuilder name = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(conversation.build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                for (var call : chunk.choices().get(0).delta().toolCalls().orElse(List.of())) {
                    assertThat(call.index()).isZero();
                    call.id().ifPresent(id::append);
                    call.function().flatMap(f -> f.name()).ifPresent(name::append);
                    call.function().flatMap(f -> f.arguments()).ifPresent(arguments::append);
                }
            }
        }
        assertThat(List.of(id.toString(), name.toString(), arguments.toString()))
                .containsExactly("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "top_song", "{\"sign\": \"WZPZ\"}");
        JsonNode first = JSON.readTree(bedrock.received().get(0).body());
        assertThat(first.get("toolConfig")).isEqualTo(JSON.readTree("""
                {"tools":[{"toolSpec":{"name":"top_song","description":"Get the most popular song played on a radio station.",
                  "inputSchema":{"json":{"type":"object","properties":{"sign":{"type":"string"}},"required":["sign"]}}}}],
                 "toolChoice":{"auto":{}}}
                """));

        ChatCompletion answer = client.chat().completions().create(conversation
                .addMessage(com.openai.models.chat.completions.ChatCompletionAssistantMessageParam.builder()
                        .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(id.toString())
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                        .name(name.toString()).arguments(arguments.toString()).build()).build()).build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(id.toString())
                        .content("Elemental Hotel by 8 Storey Hike").build())
                .build());

        assertThat(answer.choices().get(0).message().content()).hasValue(
                "The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.");
        JsonNode second = JSON.readTree(bedrock.received().get(1).body());
        assertThat(second.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":[{"text":"What is the most popular song on WZPZ?"}]},
                 {"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"top_song",
                   "input":{"sign":"WZPZ"}}}]},
                 {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                   "content":[{"text":"Elemental Hotel by 8 Storey Hike"}]}}]}]
                """));
        List<JsonNode> lines = sidecar.usageLines(2);
        // 417×0.80 + 61×4.00 = 577.6 → 578, then 512×0.80 + 24×4.00 = 505.6 → 506.
        assertThat(lines).extracting(l -> l.get("costMicros").asLong()).containsExactly(578L, 506L);
    }

    @Test
    void throttlingFailsOverToTheNextRegionWhichTakesABedrockApiKey() throws Exception {
        bedrock.always(Reply.json(429, Fixtures.read("bedrock/error-throttling.json"),
                Map.of("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")));
        fallback.enqueue(Reply.json(200, Fixtures.read("bedrock/converse-text.json")));

        ChatCompletion completion = client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("chat").addUserMessage("Hi").build());

        assertThat(completion.choices().get(0).message().content()).isPresent();
        assertThat(fallback.last().header("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(fallback.last().header("X-Amz-Date")).isNull();
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("ai/bedrock-west");
        assertThat(line.get("attempts").asInt()).isEqualTo(2);
        assertThat(sidecar.metrics()).contains("result=\"rate-limited\"");
    }

    @Test
    void rejectedCredentialsEverywhereAnswer502WithoutAnyKey() {
        String denied = Fixtures.read("bedrock/error-access-denied.json");
        bedrock.always(Reply.json(403, denied, Map.of("x-amzn-ErrorType", "AccessDeniedException")));
        fallback.always(Reply.json(403, denied, Map.of("x-amzn-ErrorType", "UnrecognizedClientException")));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions",
                "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("ai/bedrock-west").contains("403")
                .doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY).doesNotContain(API_KEY);
    }

    @Test
    void aValidationErrorIsTheClientsAndIsNotRetried() {
        bedrock.enqueue(Reply.json(400, Fixtures.read("bedrock/error-validation.json"),
                Map.of("x-amzn-ErrorType", "ValidationException")));

        assertThatThrownBy(() -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("chat").addUserMessage("Hi").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("The provided model identifier is invalid.");
        assertThat(bedrock.received()).hasSize(1);
        assertThat(fallback.received()).isEmpty();
    }

    @Test
    void anExceptionMidStreamEndsWithAnErrorEventAndBillsWhatWasSeen() {
        List<byte[]> frames = new ArrayList<>(BedrockTestSupport.frames(Fixtures.read("bedrock/converse-stream-text.events")).subList(0, 3));
        frames.add(BedrockTestSupport.exception("modelStreamErrorException", "The model stream failed."));
        bedrock.enqueue(Reply.binary(EVENT_STREAM, frames));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions",
                "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(response.body()).contains("The most popular").contains("upstream_stream_cut").doesNotContain("[DONE]");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("error").asText()).isEqualTo("upstream_stream_cut");
        assertThat(line.get("tokens").get("output").asLong()).isGreaterThan(0);
        assertThat(fallback.received()).as("no failover once bytes reached the client").isEmpty();
    }

    @Test
    void anImageByUrlIsAClear400ThatNeverReachesBedrock() throws Exception {
        HttpResponse<String> response = sidecar.post("/v1/chat/completions", """
                {"model":"chat","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}
                """);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("data: URL");
        assertThat(bedrock.received()).isEmpty();
        assertThat(sidecar.usageLines(1).get(0).get("costMicros").asLong()).isZero();
    }

    @Test
    void embeddingsGoToTitanOneTextAtATime() throws Exception {
        bedrock.enqueue(Reply.json(200, Fixtures.read("bedrock/titan-embed-v2.json")));

        CreateEmbeddingResponse embedding = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("embed").input("Hello world").dimensions(256).build());

        JsonNode titan = JSON.readTree(Fixtures.read("bedrock/titan-embed-v2.json")).get("embedding");
        assertThat(embedding.data().get(0).embedding()).hasSize(256).first().isEqualTo(titan.get(0).floatValue());
        assertThat(embedding.usage().promptTokens()).isEqualTo(7);
        assertThat(bedrock.last().uri()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
        assertThat(JSON.readTree(bedrock.last().body())).isEqualTo(JSON.readTree("{\"inputText\":\"Hello world\",\"dimensions\":256}"));
        assertSignedWithTheAccountKey(bedrock.last(), "/invoke");
        assertThat(sidecar.usageLines(1).get(0).get("tokens").get("input").asLong()).isEqualTo(7);

    }

    @Test
    void aListOfTextsIsOneTitanCallPerTextInOrderWithTheTokensSummed() throws Exception {
        String second = "{\"embedding\": [0.25, -0.5, 0.125], \"inputTextTokenCount\": 3}";
        bedrock.enqueue(Reply.json(200, Fixtures.read("bedrock/titan-embed-v2.json")), Reply.json(200, second));

        CreateEmbeddingResponse embeddings = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("embed").inputOfArrayOfStrings(List.of("Hello world", "Goodbye")).build());

        JsonNode titan = JSON.readTree(Fixtures.read("bedrock/titan-embed-v2.json")).get("embedding");
        assertThat(embeddings.data()).hasSize(2);
        assertThat(embeddings.data().get(0).index()).isZero();
        assertThat(embeddings.data().get(0).embedding()).hasSize(titan.size()).first().isEqualTo(titan.get(0).floatValue());
        assertThat(embeddings.data().get(1).index()).isEqualTo(1);
        assertThat(embeddings.data().get(1).embedding()).containsExactly(0.25f, -0.5f, 0.125f);
        assertThat(embeddings.usage().promptTokens()).isEqualTo(7 + 3);
        assertThat(bedrock.received()).hasSize(2);
        assertThat(JSON.readTree(bedrock.received().get(0).body())).isEqualTo(JSON.readTree("{\"inputText\":\"Hello world\"}"));
        assertThat(JSON.readTree(bedrock.received().get(1).body())).isEqualTo(JSON.readTree("{\"inputText\":\"Goodbye\"}"));
        bedrock.received().forEach(call -> assertSignedWithTheAccountKey(call, "/invoke"));
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(10);
        assertThat(line.get("status").asInt()).isEqualTo(200);

        StringBuilder tooMany = new StringBuilder("{\"model\":\"embed\",\"input\":[\"t\"");
        tooMany.append(",\"t\"".repeat(128)).append("]}");
        HttpResponse<String> refused = sidecar.post("/v1/embeddings", tooMany.toString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("'input'").contains("129 is above 128");
        assertThat(bedrock.received()).hasSize(2);
    }

    /** The Authorization header is SigV4 over what Bedrock received, recomputed at the request's own X-Amz-Date. */
    private void assertSignedWithTheAccountKey(FakeUpstream.Received sent, String action) {
        String date = sent.header("X-Amz-Date");
        assertThat(date).matches("\\d{8}T\\d{6}Z");
        assertThat(sent.header("X-Amz-Security-Token")).isEqualTo(SESSION_TOKEN);
        assertThat(sent.header("Authorization")).matches("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/" + date.substring(0, 8)
                + "/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"
                + " Signature=[0-9a-f]{64}");
        assertThat(sent.uri()).endsWith(action);
        Clock at = Clock.fixed(LocalDateTime.parse(date, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                .toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        SigV4Signer signer = new SigV4Signer(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, "us-east-1", "bedrock", at);
        String expected = signer.sign("POST", URI.create(bedrock.root() + sent.uri()),
                Map.of("Content-Type", sent.header("Content-Type")), sent.body().getBytes(StandardCharsets.UTF_8)).authorization();
        assertThat(sent.header("Host")).isEqualTo(URI.create(bedrock.root()).getAuthority());
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.header("Authorization")).isEqualTo(expected);
    }
}
