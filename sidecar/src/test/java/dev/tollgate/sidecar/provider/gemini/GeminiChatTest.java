package dev.tollgate.sidecar.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.SseReader;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamRefusal;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chat completions translated to Gemini's generateContent and back, against Google's documented formats. */
class GeminiChatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProviderConfig GEMINI = new ProviderConfig("ai/gemini", "gemini", null, "AIzaSyTestKey0123456789abcdef",
            null, Map.of("x-goog-user-project", "team-a"), null, null);
    private final GeminiChat chat = new GeminiChat(new GoogleAiEndpoint());

    private static ChatRequest chatRequest(String json) {
        return ChatRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void requestGoesToGenerateContentWithTheKeyInAHeaderAndEveryFieldTranslated() throws IOException {
        ChatRequest request = chatRequest("""
                {"model": "chat", "temperature": 0.2, "top_p": 0.9, "max_tokens": 256, "stop": ["END"], "seed": 7,
                 "response_format": {"type": "json_object"},
                 "messages": [
                   {"role": "system", "content": "Answer in JSON."},
                   {"role": "developer", "content": [{"type": "text", "text": "Be brief."}]},
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is in these pictures?"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                     {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}]},
                   {"role": "assistant", "content": "A cat."},
                   {"role": "user", "content": "Which colour?"}]}""");

        UpstreamRequest sent = chat.request(request, "gemini-2.0-flash", GEMINI);

        assertThat(sent.uri()).hasToString("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
        assertThat(sent.headers()).containsEntry("x-goog-api-key", "AIzaSyTestKey0123456789abcdef")
                .containsEntry("x-goog-user-project", "team-a").containsEntry("Content-Type", "application/json");
        assertThat(json(new String(sent.body(), StandardCharsets.UTF_8))).isEqualTo(json("""
                {"contents": [
                   {"role": "user", "parts": [
                     {"text": "What is in these pictures?"},
                     {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
                     {"fileData": {"fileUri": "https://example.com/cat.jpg"}}]},
                   {"role": "model", "parts": [{"text": "A cat."}]},
                   {"role": "user", "parts": [{"text": "Which colour?"}]}],
                 "systemInstruction": {"parts": [{"text": "Answer in JSON."}, {"text": "Be brief."}]},
                 "generationConfig": {"temperature": 0.2, "topP": 0.9, "seed": 7, "maxOutputTokens": 256,
                   "stopSequences": ["END"], "responseMimeType": "application/json"}}"""));
    }

    @Test
    void streamingUsesTheSseMethod() {
        UpstreamRequest sent = chat.request(chatRequest("{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"),
                "models/gemini-2.5-flash", GEMINI);

        assertThat(sent.uri()).hasToString(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(sent.headers()).containsEntry("Accept", "text/event-stream");
        assertThat(sent.toString()).doesNotContain("AIza");
    }

    @Test
    void toolsAndToolHistoryBecomeFunctionDeclarationsCallsAndResponses() throws IOException {
        ChatRequest request = chatRequest("""
                {"model": "chat", "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
                 "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather",
                   "parameters": {"type": "object", "properties": {"location": {"type": "string"}},
                                  "required": ["location"], "additionalProperties": false}}}],
                 "messages": [
                   {"role": "user", "content": "Weather in Boston and Paris?"},
                   {"role": "assistant", "content": null, "tool_calls": [
                     {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"location\\":\\"Boston\\"}"}},
                     {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"location\\":\\"Paris\\"}"}}]},
                   {"role": "tool", "tool_call_id": "call_1", "content": "{\\"temperature\\": 22}"},
                   {"role": "tool", "tool_call_id": "call_2", "content": "rainy, 14 degrees"}]}""");

        JsonNode body = JSON.readTree(chat.request(request, "gemini-2.0-flash", GEMINI).body());

        assertThat(body).isEqualTo(json("""
                {"contents": [
                   {"role": "user", "parts": [{"text": "Weather in Boston and Paris?"}]},
                   {"role": "model", "parts": [
                     {"functionCall": {"name": "get_weather", "args": {"location": "Boston"}}},
                     {"functionCall": {"name": "get_weather", "args": {"location": "Paris"}}}]},
                   {"role": "user", "parts": [
                     {"functionResponse": {"name": "get_weather", "response": {"temperature": 22}}},
                     {"functionResponse": {"name": "get_weather", "response": {"result": "rainy, 14 degrees"}}}]}],
                 "tools": [{"functionDeclarations": [{"name": "get_weather", "description": "Current weather",
                   "parametersJsonSchema": {"type": "object", "properties": {"location": {"type": "string"}},
                                            "required": ["location"], "additionalProperties": false}}]}],
                 "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}}}"""));
    }

    @Test
    void whatGeminiCannotTakeIsA400NamingTheField() {
        assertThatThrownBy(() -> chat.request(chatRequest("""
                {"model": "chat", "messages": [{"role": "user", "content": [{"type": "file", "file": {"file_id": "f1"}}]}]}"""),
                "gemini-2.0-flash", GEMINI))
                .isInstanceOf(ApiError.class).hasMessageContaining("messages[0].content[0].type");
        assertThatThrownBy(() -> chat.request(chatRequest("""
                {"model": "chat", "messages": [{"role": "user", "content": "Hi"},
                  {"role": "tool", "tool_call_id": "call_unknown", "content": "42"}]}"""), "gemini-2.0-flash", GEMINI))
                .isInstanceOf(ApiError.class).hasMessageContaining("call_unknown");
        assertThatThrownBy(() -> chat.request(chatRequest("""
                {"model": "chat", "messages": [{"role": "user", "content": "Hi"}], "tools": [{"type": "function",
                  "function": {"name": "f"}}], "tool_choice": "sometimes"}"""), "gemini-2.0-flash", GEMINI))
                .isInstanceOf(ApiError.class).hasMessageContaining("tool_choice");
    }

    @Test
    void answerBecomesAChatCompletionWithItsUsage() throws IOException {
        TranslatedAnswer answer = chat.answer(Fixtures.read("gemini/generate-content.json").getBytes(StandardCharsets.UTF_8),
                chatRequest(hello()));

        JsonNode completion = JSON.readTree(answer.clientBody());
        assertThat(completion.get("id").asText()).isEqualTo("chatcmpl-v0s5aJ2fKpS1nvgPq5GH4Ag");
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("model").asText()).isEqualTo("gemini-2.0-flash");
        assertThat(completion.get("choices")).isEqualTo(json("""
                [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I help you today?", "refusal": null},
                  "finish_reason": "stop"}]"""));
        assertThat(completion.get("usage")).isEqualTo(json("""
                {"prompt_tokens": 4, "completion_tokens": 9, "total_tokens": 13,
                 "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}}"""));
        assertThat(answer.usage()).isEqualTo(new Usage(4, 0, 0, 9, 0));
        assertThat(answer.responseModel()).isEqualTo("gemini-2.0-flash");
    }

    @Test
    void cachedAndThinkingTokensLandInTheirOwnBuckets() throws IOException {
        TranslatedAnswer answer = chat.answer(Fixtures.read("gemini/generate-content-thinking-cached.json")
                .getBytes(StandardCharsets.UTF_8), chatRequest(hello()));

        // promptTokenCount 2200 includes the 2048 cached; candidatesTokenCount 7 excludes the 412 thoughts.
        assertThat(answer.usage()).isEqualTo(new Usage(152, 2048, 0, 7, 412));
        JsonNode usage = JSON.readTree(answer.clientBody()).get("usage");
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(2200);
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(419);
        assertThat(usage.get("total_tokens").asLong()).isEqualTo(2619);
        assertThat(usage.at("/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(2048);
        assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asLong()).isEqualTo(412);
    }

    @Test
    void functionCallBecomesToolCallsWithAnId() throws IOException {
        TranslatedAnswer answer = chat.answer(Fixtures.read("gemini/function-call.json").getBytes(StandardCharsets.UTF_8),
                chatRequest(hello()));

        JsonNode choice = JSON.readTree(answer.clientBody()).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.at("/message/content").isNull()).isTrue();
        JsonNode call = choice.at("/message/tool_calls/0");
        assertThat(call.get("id").asText()).matches("call_[A-Za-z0-9]{24}");
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(json(call.at("/function/arguments").asText())).isEqualTo(json("{\"location\":\"Boston, MA\",\"unit\":\"celsius\"}"));
    }

    @Test
    void aThinkingModelsThoughtSignatureTravelsWithTheToolCallAndBack() throws IOException {
        TranslatedAnswer answer = chat.answer(Fixtures.read("gemini/function-call-signed.json").getBytes(StandardCharsets.UTF_8),
                chatRequest(hello()));
        JsonNode call = JSON.readTree(answer.clientBody()).at("/choices/0/message/tool_calls/0");
        assertThat(call.at("/extra_content/google/thought_signature").asText())
                .isEqualTo("CiQBjz1rXzXTzbT7K4NnsQZrLxa0xjU1fV0Pm3NfG0cLxzQ2ZAk=");
        assertThat(answer.usage()).isEqualTo(new Usage(61, 0, 0, 15, 72));

        String history = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call + "]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + call.get("id").asText() + "\",\"content\":\"sunny\"}]}";
        JsonNode sent = JSON.readTree(chat.request(chatRequest(history), "gemini-3-flash-preview", GEMINI).body());

        assertThat(sent.at("/contents/1/parts/0")).isEqualTo(json("""
                {"functionCall": {"name": "get_weather", "args": {"location": "Paris"}},
                 "thoughtSignature": "CiQBjz1rXzXTzbT7K4NnsQZrLxa0xjU1fV0Pm3NfG0cLxzQ2ZAk="}"""));
        assertThat(sent.at("/contents/2/parts/0/functionResponse/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void aBlockedPromptOrAWithheldAnswerIsARefusalNamingGeminisReason() {
        assertThatThrownBy(() -> chat.answer(Fixtures.read("gemini/prompt-blocked.json").getBytes(StandardCharsets.UTF_8),
                chatRequest(hello())))
                .isInstanceOf(UpstreamRefusal.class).hasMessageContaining("blocked the prompt").hasMessageContaining("blockReason SAFETY");
        assertThatThrownBy(() -> chat.answer(Fixtures.read("gemini/safety-finish.json").getBytes(StandardCharsets.UTF_8),
                chatRequest(hello())))
                .isInstanceOf(UpstreamRefusal.class).hasMessageContaining("withheld the answer").hasMessageContaining("finishReason SAFETY");
    }

    @Test
    void anAnswerStoppedForSafetyAfterSomeContentIsAContentFilterFinish() throws IOException {
        TranslatedAnswer answer = chat.answer("""
                {"candidates": [{"content": {"parts": [{"text": "Here is how"}], "role": "model"}, "finishReason": "SAFETY", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 11, "candidatesTokenCount": 3, "totalTokenCount": 14},
                 "modelVersion": "gemini-2.0-flash", "responseId": "0U45aJmWE6SnnvgPyYqX6Qs"}""".getBytes(StandardCharsets.UTF_8),
                chatRequest(hello()));

        JsonNode choice = JSON.readTree(answer.clientBody()).at("/choices/0");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("content_filter");
        assertThat(choice.at("/message/content").asText()).isEqualTo("Here is how");
        assertThat(answer.usage()).isEqualTo(new Usage(11, 0, 0, 3, 0));
    }

    @Test
    void aStreamWhoseFirstChunkIsABlockedPromptIsARefusal() throws IOException {
        StreamTranslator translator = chat.stream(chatRequest(hello()));
        SseEvent blocked = new SseReader(new ByteArrayInputStream(
                Fixtures.read("gemini/stream-prompt-blocked.sse").getBytes(StandardCharsets.UTF_8))).next();
        List<byte[]> sent = new ArrayList<>();

        assertThatThrownBy(() -> translator.onEvent(blocked, sent::add))
                .isInstanceOf(UpstreamRefusal.class).hasMessageContaining("blockReason PROHIBITED_CONTENT");
        assertThat(sent).isEmpty();
        assertThat(translator.finished()).isFalse();
    }

    @Test
    void aStreamStoppedForSafetyAfterItsTextEndsAsAContentFilterFinish() throws IOException {
        StreamTranslator translator = chat.stream(chatRequest(hello()));
        List<List<String>> sentPerEvent = translate(translator, Fixtures.read("gemini/stream-safety-stop.sse"));

        List<String> last = sentPerEvent.get(2);
        assertThat(chunk(last.get(0)).get("choices"))
                .isEqualTo(json("[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\"}]"));
        assertThat(last.get(1)).isEqualTo("data: [DONE]\n\n");
        assertThat(translator.outputText()).hasToString("Here is how you would start:");
        assertThat(translator.usage()).isEqualTo(new Usage(11, 0, 0, 7, 0));
    }

    @Test
    void aPromptBlockAfterTheStreamBeganIsAnInvalidUpstreamResponse() throws IOException {
        StreamTranslator translator = chat.stream(chatRequest(hello()));
        String events = Fixtures.read("gemini/stream.sse");
        translate(translator, events.substring(0, events.indexOf("data:", 1)));

        assertThatThrownBy(() -> translate(translator, Fixtures.read("gemini/stream-prompt-blocked.sse")))
                .isInstanceOf(InvalidUpstreamResponse.class).hasMessageContaining("blockReason PROHIBITED_CONTENT");
    }

    @Test
    void nonsenseIsAnInvalidUpstreamResponse() {
        assertThatThrownBy(() -> chat.answer("{\"usageMetadata\":{}}".getBytes(StandardCharsets.UTF_8), chatRequest(hello())))
                .isInstanceOf(InvalidUpstreamResponse.class);
        assertThatThrownBy(() -> chat.answer("<html>".getBytes(StandardCharsets.UTF_8), chatRequest(hello())))
                .isInstanceOf(InvalidUpstreamResponse.class);
    }

    @Test
    void streamIsTranslatedChunkByChunkAndEndsWithDoneAfterTheFinishReason() throws IOException {
        StreamTranslator translator = chat.stream(chatRequest(
                "{\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
        List<List<String>> sentPerEvent = translate(translator, Fixtures.read("gemini/stream.sse"));

        assertThat(sentPerEvent).hasSize(3);
        JsonNode first = chunk(sentPerEvent.get(0).get(0));
        assertThat(first.get("id").asText()).isEqualTo("chatcmpl-Xk45aOv5Lf-LnvgP2ZSAiQ8");
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.get("model").asText()).isEqualTo("gemini-2.0-flash");
        assertThat(first.get("choices")).isEqualTo(json("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]"));
        assertThat(chunk(sentPerEvent.get(1).get(0)).get("choices"))
                .isEqualTo(json("[{\"index\":0,\"delta\":{\"content\":\"! How can I\"},\"finish_reason\":null}]"));
        List<String> last = sentPerEvent.get(2);
        assertThat(last).hasSize(3);
        assertThat(chunk(last.get(0)).get("choices"))
                .isEqualTo(json("[{\"index\":0,\"delta\":{\"content\":\" help you today?\"},\"finish_reason\":\"stop\"}]"));
        JsonNode usageChunk = chunk(last.get(1));
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.at("/usage/total_tokens").asLong()).isEqualTo(13);
        assertThat(last.get(2)).isEqualTo("data: [DONE]\n\n");
        assertThat(translator.finished()).isTrue();
        assertThat(translator.usage()).isEqualTo(new Usage(4, 0, 0, 9, 0));
        assertThat(translator.outputText()).hasToString("Hello! How can I help you today?");
    }

    @Test
    void streamWithoutItsFinishReasonIsUnfinishedAndKeepsTheLastUsageReported() throws IOException {
        StreamTranslator translator = chat.stream(chatRequest(hello()));
        String events = Fixtures.read("gemini/stream.sse");
        translate(translator, events.substring(0, events.lastIndexOf("data:")));

        assertThat(translator.finished()).isFalse();
        // Every chunk repeats usageMetadata: the prompt's count is known before the answer ends.
        assertThat(translator.usage()).isEqualTo(new Usage(4, 0, 0, 0, 0));
        assertThat(translator.outputText()).hasToString("Hello! How can I");
    }

    @Test
    void streamedFunctionCallIsAToolCallChunkWithItsIndex() throws IOException {
        StreamTranslator translator = chat.stream(chatRequest(hello()));
        List<String> sent = translate(translator, Fixtures.read("gemini/function-call-stream.sse")).get(0);

        assertThat(sent).hasSize(2);
        JsonNode choice = chunk(sent.get(0)).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode call = choice.at("/delta/tool_calls/0");
        assertThat(call.get("index").asInt()).isZero();
        assertThat(call.get("id").asText()).startsWith("call_");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(sent.get(1)).isEqualTo("data: [DONE]\n\n");
        assertThat(translator.usage()).isEqualTo(new Usage(58, 0, 0, 12, 0));
    }

    @Test
    void errorInTheStreamIsAnInvalidUpstreamResponseWithoutItsMessage() {
        StreamTranslator translator = chat.stream(chatRequest(hello()));
        SseEvent error = new SseEvent(null, "{\"error\":{\"code\":500,\"message\":\"secret prompt echoed\",\"status\":\"INTERNAL\"}}");

        assertThatThrownBy(() -> translator.onEvent(error, bytes -> { }))
                .isInstanceOf(InvalidUpstreamResponse.class).hasMessageContaining("INTERNAL").hasMessageNotContaining("secret");
    }

    private static String hello() {
        return "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    }

    private static JsonNode chunk(String sse) throws IOException {
        assertThat(sse).startsWith("data: ").endsWith("\n\n");
        return JSON.readTree(sse.substring(6));
    }

    /** Feeds every event of an SSE text to the translator; returns what it sent for each one. */
    private static List<List<String>> translate(StreamTranslator translator, String sse) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)));
        List<List<String>> perEvent = new ArrayList<>();
        for (SseEvent event = reader.next(); event != null; event = reader.next()) {
            List<String> sent = new ArrayList<>();
            translator.onEvent(event, bytes -> sent.add(new String(bytes, StandardCharsets.UTF_8)));
            perEvent.add(sent);
        }
        return perEvent;
    }
}
