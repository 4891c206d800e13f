package dev.tollgate.sidecar.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.EventReader;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OpenAI chat ⇄ Converse, with fixtures from AWS's documented Converse and ConverseStream examples. */
class ConverseTranslationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
    private static final ProviderConfig KEYED = new ProviderConfig("ai/bedrock", "bedrock", null, "bedrock-api-key-0123456789",
            null, null, Map.of("region", "eu-west-1"), null);

    private final BedrockAdapter adapter = new BedrockAdapter(SigV4SignerTest.SUITE_TIME);

    @Test
    void messagesSystemToolsAndLimitsBecomeAConverseBody() throws IOException {
        ChatRequest request = chat("""
                {"model":"chat","max_tokens":300,"temperature":0.2,"top_p":0.9,"stop":["END"],
                 "messages":[
                   {"role":"system","content":"You are a radio assistant."},
                   {"role":"user","content":[{"type":"text","text":"What is the most popular song on WZPZ?"},
                     {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","type":"function",
                     "function":{"name":"top_song","arguments":"{\\"sign\\":\\"WZPZ\\"}"}}]},
                   {"role":"tool","tool_call_id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","content":"Elemental Hotel by 8 Storey Hike"}
                 ],
                 "tools":[{"type":"function","function":{"name":"top_song","description":"Get the most popular song played on a radio station.",
                   "parameters":{"type":"object","properties":{"sign":{"type":"string"}},"required":["sign"]}}}],
                 "tool_choice":"required"}
                """);

        UpstreamRequest upstream = adapter.chat().request(request, MODEL, KEYED);

        assertThat(upstream.uri().toString()).isEqualTo(
                "https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
        assertThat(upstream.headers()).containsEntry("Authorization", "Bearer bedrock-api-key-0123456789")
                .containsEntry("Content-Type", "application/json").containsEntry("Accept", "application/json");
        assertThat(JSON.readTree(upstream.body())).isEqualTo(JSON.readTree("""
                {"messages":[
                   {"role":"user","content":[{"text":"What is the most popular song on WZPZ?"},
                     {"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]},
                   {"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"top_song",
                     "input":{"sign":"WZPZ"}}}]},
                   {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                     "content":[{"text":"Elemental Hotel by 8 Storey Hike"}]}}]}],
                 "system":[{"text":"You are a radio assistant."}],
                 "inferenceConfig":{"maxTokens":300,"temperature":0.2,"topP":0.9,"stopSequences":["END"]},
                 "toolConfig":{"tools":[{"toolSpec":{"name":"top_song","description":"Get the most popular song played on a radio station.",
                   "inputSchema":{"json":{"type":"object","properties":{"sign":{"type":"string"}},"required":["sign"]}}}}],
                   "toolChoice":{"any":{}}}}
                """));
    }

    @Test
    void consecutiveToolResultsJoinOneUserTurnAndANamedToolChoiceIsKept() throws IOException {
        ChatRequest request = chat("""
                {"model":"chat","stream":true,"messages":[
                   {"role":"user","content":"Songs on WZPZ and WKRP?"},
                   {"role":"assistant","content":"Looking both up.","tool_calls":[
                     {"id":"t1","type":"function","function":{"name":"top_song","arguments":"{\\"sign\\":\\"WZPZ\\"}"}},
                     {"id":"t2","type":"function","function":{"name":"top_song","arguments":"{\\"sign\\":\\"WKRP\\"}"}}]},
                   {"role":"tool","tool_call_id":"t1","content":"Elemental Hotel"},
                   {"role":"tool","tool_call_id":"t2","content":[{"type":"text","text":"Venus"}]},
                   {"role":"user","content":"Thanks!"}],
                 "tools":[{"type":"function","function":{"name":"top_song"}}],
                 "tool_choice":{"type":"function","function":{"name":"top_song"}}}
                """);

        UpstreamRequest upstream = adapter.chat().request(request, MODEL, KEYED);

        assertThat(upstream.uri().getRawPath()).endsWith("/converse-stream");
        assertThat(upstream.headers()).containsEntry("Accept", "application/vnd.amazon.eventstream");
        JsonNode body = JSON.readTree(upstream.body());
        assertThat(body.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":[{"text":"Songs on WZPZ and WKRP?"}]},
                 {"role":"assistant","content":[{"text":"Looking both up."},
                   {"toolUse":{"toolUseId":"t1","name":"top_song","input":{"sign":"WZPZ"}}},
                   {"toolUse":{"toolUseId":"t2","name":"top_song","input":{"sign":"WKRP"}}}]},
                 {"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"Elemental Hotel"}]}},
                   {"toolResult":{"toolUseId":"t2","content":[{"text":"Venus"}]}},{"text":"Thanks!"}]}]
                """));
        assertThat(body.get("toolConfig")).isEqualTo(JSON.readTree("""
                {"tools":[{"toolSpec":{"name":"top_song","inputSchema":{"json":{"type":"object","properties":{}}}}}],
                 "toolChoice":{"tool":{"name":"top_song"}}}
                """));
    }

    @Test
    void whatConverseCannotExpressIsA400NamingTheField() {
        assertThatThrownBy(() -> adapter.chat().request(chat("""
                {"model":"chat","messages":[{"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}
                """), MODEL, KEYED))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("messages[0].content[0].image_url.url").hasMessageContaining("cannot fetch image URLs");
        assertThatThrownBy(() -> adapter.chat().request(chat("""
                {"model":"chat","n":2,"messages":[{"role":"user","content":"hi"}]}
                """), MODEL, KEYED)).isInstanceOf(ApiError.class).hasMessageContaining("'n'");
        assertThatThrownBy(() -> adapter.chat().request(chat("""
                {"model":"chat","messages":[{"role":"user","content":"hi"},
                  {"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{oops"}}]}]}
                """), MODEL, KEYED)).isInstanceOf(ApiError.class).hasMessageContaining("messages[1].tool_calls[0].function.arguments");
    }

    @Test
    void aTextAnswerBecomesAChatCompletionWithItsUsage() throws IOException {
        ChatRequest request = chat("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        TranslatedAnswer answer = adapter.chat().answer(bytes(Fixtures.read("bedrock/converse-text.json")), request);

        JsonNode body = JSON.readTree(answer.clientBody());
        assertThat(body.get("id").asText()).startsWith("chatcmpl-");
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("model").asText()).isEqualTo("chat");
        assertThat(body.get("choices")).isEqualTo(JSON.readTree("""
                [{"index":0,"message":{"role":"assistant","content":"The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike."},
                  "logprobs":null,"finish_reason":"stop"}]
                """));
        assertThat(body.get("usage")).isEqualTo(JSON.readTree("""
                {"prompt_tokens":512,"completion_tokens":24,"total_tokens":536,"prompt_tokens_details":{"cached_tokens":0}}
                """));
        assertThat(answer.usage()).isEqualTo(new Usage(512, 0, 0, 24, 0));
    }

    @Test
    void aToolUseAnswerBecomesToolCalls() throws IOException {
        ChatRequest request = chat("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        TranslatedAnswer answer = adapter.chat().answer(bytes(Fixtures.read("bedrock/converse-tool-use.json")), request);

        JsonNode choice = JSON.readTree(answer.clientBody()).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.get("message")).isEqualTo(JSON.readTree("""
                {"role":"assistant","content":null,"tool_calls":[{"id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","type":"function",
                  "function":{"name":"top_song","arguments":"{\\"sign\\":\\"WZPZ\\"}"}}]}
                """));
        assertThat(answer.usage()).isEqualTo(new Usage(417, 0, 0, 55, 0));
    }

    @Test
    void cacheReadAndWriteTokensAreTheirOwnBuckets() throws IOException {
        ChatRequest request = chat("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        TranslatedAnswer answer = adapter.chat().answer(bytes(Fixtures.read("bedrock/converse-cached.json")), request);

        // inputTokens (12) excludes the 3000 read and 1100 written: totalTokens 4126 = 12 + 14 + 3000 + 1100.
        assertThat(answer.usage()).isEqualTo(new Usage(12, 3000, 1100, 14, 0));
        JsonNode body = JSON.readTree(answer.clientBody());
        assertThat(body.get("usage")).isEqualTo(JSON.readTree("""
                {"prompt_tokens":4112,"completion_tokens":14,"total_tokens":4126,"prompt_tokens_details":{"cached_tokens":3000}}
                """));
        assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        // A model that counts the cache inside inputTokens says so by a total without them.
        assertThat(ConverseUsage.of(JSON.readTree("""
                {"inputTokens":4112,"outputTokens":14,"totalTokens":4126,"cacheReadInputTokens":3000,"cacheWriteInputTokens":1100}
                """))).isEqualTo(new Usage(12, 3000, 1100, 14, 0));
    }

    @Test
    void anAnswerWithoutContentIsInvalid() {
        ChatRequest request = chat("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThatThrownBy(() -> adapter.chat().answer(bytes("{\"message\":\"hi\"}"), request))
                .isInstanceOf(InvalidUpstreamResponse.class);
    }

    @Test
    void aTextStreamIsTranslatedChunkByChunk() throws IOException {
        List<String> chunks = translate("bedrock/converse-stream-text.events", true);

        assertThat(chunks).hasSize(7);
        assertThat(deltas(chunks.subList(0, 5))).containsExactly(
                "{\"role\":\"assistant\",\"content\":\"\"}",
                "{\"content\":\"The most popular\"}",
                "{\"content\":\" song on WZPZ is Elemental Hotel\"}",
                "{\"content\":\" by 8 Storey Hike.\"}",
                "{}");
        assertThat(JSON.readTree(chunks.get(4).substring(6)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode usageChunk = JSON.readTree(chunks.get(5).substring(6));
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").get("prompt_tokens").asLong()).isEqualTo(512);
        assertThat(chunks.get(6)).isEqualTo("data: [DONE]\n\n");
        JsonNode first = JSON.readTree(chunks.get(0).substring(6));
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(chunks).allSatisfy(c -> assertThat(c).endsWith("\n\n"));
        assertThat(chunks.subList(0, 6)).allSatisfy(c -> assertThat(JSON.readTree(c.substring(6)).get("id").asText())
                .isEqualTo(first.get("id").asText()));
    }

    @Test
    void aToolStreamBecomesToolCallDeltasAndItsUsageIsRead() throws IOException {
        StreamTranslator translator = adapter.chat().stream(chat(
                "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        List<String> chunks = run(translator, "bedrock/converse-stream-tool.events");

        assertThat(deltas(chunks.subList(0, 7))).containsExactly(
                "{\"role\":\"assistant\",\"content\":\"\"}",
                "{\"content\":\"Let me look that up.\"}",
                "{\"tool_calls\":[{\"index\":0,\"id\":\"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"top_song\",\"arguments\":\"\"}}]}",
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\"}}]}",
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"sign\\\": \"}}]}",
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"WZPZ\\\"}\"}}]}",
                "{}");
        assertThat(JSON.readTree(chunks.get(6).substring(6)).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(chunks).hasSize(8).last().isEqualTo("data: [DONE]\n\n");
        assertThat(translator.finished()).isTrue();
        assertThat(translator.usage()).isEqualTo(new Usage(417, 0, 0, 61, 0));
        assertThat(translator.outputText().toString()).isEqualTo("Let me look that up.{\"sign\": \"WZPZ\"}");
    }

    @Test
    void aStreamWithoutItsMetadataIsNotFinishedAndAnExceptionEventFailsIt() throws IOException {
        StreamTranslator translator = adapter.chat().stream(chat(
                "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        translator.onEvent(new SseEvent("messageStart", "{\"role\":\"assistant\"}"), sse -> { });
        translator.onEvent(new SseEvent("messageStop", "{\"stopReason\":\"end_turn\"}"), sse -> { });

        assertThat(translator.finished()).isFalse();
        assertThatThrownBy(() -> translator.onEvent(new SseEvent("exception:modelStreamErrorException",
                "{\"message\":\"Model stream error, api_key=abc123secret\"}"), sse -> { }))
                .isInstanceOf(InvalidUpstreamResponse.class)
                .hasMessageContaining("modelStreamErrorException").hasMessageNotContaining("abc123secret");
    }

    @Test
    void errorsAreClassifiedByTheirStatus() {
        ProviderConfig signed = new ProviderConfig("ai/bedrock", "bedrock", null, null,
                Map.of("accessKeyId", "AKIDEXAMPLE", "secretAccessKey", SigV4SignerTest.SUITE_SECRET),
                null, Map.of("region", "us-east-1"), null);

        assertThat(failure(429, "bedrock/error-throttling.json", signed))
                .isEqualTo(new UpstreamFailure(FailureClass.RATE_LIMITED, 429, null, "Too many requests, please wait before trying again."));
        assertThat(failure(400, "bedrock/error-validation.json", signed).kind()).isEqualTo(FailureClass.CLIENT_ERROR);
        assertThat(failure(404, "bedrock/error-validation.json", signed).kind()).isEqualTo(FailureClass.CLIENT_ERROR);
        assertThat(failure(408, "bedrock/error-validation.json", signed).kind()).isEqualTo(FailureClass.TIMEOUT);
        assertThat(failure(424, "bedrock/error-validation.json", signed).kind()).isEqualTo(FailureClass.SERVER_ERROR);
        assertThat(failure(503, "bedrock/error-validation.json", signed).kind()).isEqualTo(FailureClass.SERVER_ERROR);
        UpstreamFailure denied = failure(403, "bedrock/error-access-denied.json", signed);
        assertThat(denied.kind()).isEqualTo(FailureClass.SERVER_ERROR);
        assertThat(denied.message()).contains("ai/bedrock").doesNotContain("AKIDEXAMPLE").doesNotContain("EXAMPLEKEY");
    }

    @Test
    void titanEmbedsOneTextAndReportsItsTokenCount() throws IOException {
        EmbeddingsRequest request = EmbeddingsRequest.parse(bytes(
                "{\"model\":\"embed\",\"input\":\"Hello world\",\"dimensions\":256,\"encoding_format\":\"base64\"}"));
        var titan = adapter.embeddings("amazon.titan-embed-text-v2:0").orElseThrow();

        UpstreamRequest upstream = titan.request(request, "amazon.titan-embed-text-v2:0", KEYED);
        TranslatedAnswer answer = titan.answer(bytes(Fixtures.read("bedrock/titan-embed-v2.json")), request);

        assertThat(upstream.uri().getRawPath()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
        assertThat(JSON.readTree(upstream.body())).isEqualTo(JSON.readTree("{\"inputText\":\"Hello world\",\"dimensions\":256}"));
        JsonNode body = JSON.readTree(answer.clientBody());
        assertThat(body.get("usage")).isEqualTo(JSON.readTree("{\"prompt_tokens\":7,\"total_tokens\":7}"));
        ByteBuffer floats = ByteBuffer.wrap(Base64.getDecoder().decode(body.at("/data/0/embedding").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        JsonNode expected = JSON.readTree(Fixtures.read("bedrock/titan-embed-v2.json")).get("embedding");
        assertThat(floats.remaining()).isEqualTo(expected.size() * 4);
        assertThat(floats.getFloat(0)).isEqualTo(expected.get(0).floatValue());
        assertThat(answer.usage()).isEqualTo(new Usage(7, 0, 0, 0, 0));
        assertThat(adapter.embeddings(MODEL)).isEqualTo(Optional.empty());
        // A list of texts: one call per text (SequentialCalls), whose answers come back as one array, in order.
        EmbeddingsRequest two = EmbeddingsRequest.parse(bytes("{\"model\":\"embed\",\"input\":[\"a\",\"b\"]}"));
        TranslatedAnswer both = titan.answer(bytes("[{\"embedding\":[0.5],\"inputTextTokenCount\":1},"
                + "{\"embedding\":[-0.5],\"inputTextTokenCount\":2}]"), two);
        assertThat(JSON.readTree(both.clientBody()).at("/data/1/embedding/0").floatValue()).isEqualTo(-0.5f);
        assertThat(both.usage()).isEqualTo(new Usage(3, 0, 0, 0, 0));
        assertThatThrownBy(() -> titan.request(EmbeddingsRequest.parse(bytes("{\"model\":\"embed\",\"input\":[15339,1917]}")),
                "amazon.titan-embed-text-v2:0", KEYED)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.status()).isEqualTo(400)).hasMessageContaining("not token ids");
    }

    private UpstreamFailure failure(int status, String fixture, ProviderConfig provider) {
        return adapter.failure(status, Optional.empty(), bytes(Fixtures.read(fixture)), provider);
    }

    private List<String> translate(String fixture, boolean clientWantsUsage) throws IOException {
        String body = "{\"model\":\"chat\",\"stream\":true" + (clientWantsUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return run(adapter.chat().stream(chat(body)), fixture);
    }

    /** Feeds a fixture through the real event-stream framing and the translator, one client chunk per entry. */
    private List<String> run(StreamTranslator translator, String fixture) throws IOException {
        byte[] wire = BedrockTestSupport.concat(BedrockTestSupport.frames(Fixtures.read(fixture)));
        EventReader reader = adapter.events(new ByteArrayInputStream(wire));
        List<String> chunks = new ArrayList<>();
        SseEvent event;
        while ((event = reader.next()) != null) {
            translator.onEvent(event, sse -> chunks.add(new String(sse, StandardCharsets.UTF_8)));
        }
        return chunks;
    }

    private static List<String> deltas(List<String> chunks) throws IOException {
        List<String> deltas = new ArrayList<>();
        for (String chunk : chunks) {
            deltas.add(JSON.readTree(chunk.substring("data: ".length())).at("/choices/0/delta").toString());
        }
        return deltas;
    }

    private static ChatRequest chat(String json) {
        return ChatRequest.parse(bytes(json));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
