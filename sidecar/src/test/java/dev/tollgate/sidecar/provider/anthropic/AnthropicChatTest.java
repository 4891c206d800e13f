package dev.tollgate.sidecar.provider.anthropic;

import static dev.tollgate.sidecar.provider.anthropic.Translate.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenAI chat completions served by Anthropic's Messages API: the request Anthropic gets, the answer and stream the client gets. */
class AnthropicChatTest {
    private static final String KEY = "sk-ant-api03-secretsecretsecret";
    private static final ProviderConfig PROVIDER = new ProviderConfig("ai/anthropic", "anthropic", "https://api.anthropic.com",
            KEY, null, Map.of("anthropic-beta", "prompt-caching-2024-07-31"), null, null);

    private final ApiAdapter<ChatRequest> chat = new AnthropicAdapter().chat();

    private static ChatRequest chatRequest(String json) {
        return ChatRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFullConversationBecomesTheMessagesRequestAnthropicDocuments() {
        ChatRequest request = chatRequest("""
                {"model":"chat","stream":true,"max_completion_tokens":300,"temperature":0.2,"top_p":0.9,"stop":"END",
                 "user":"user-42","parallel_tool_calls":false,
                 "tool_choice":{"type":"function","function":{"name":"get_weather"}},
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                           "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}],
                 "messages":[
                   {"role":"system","content":"You are terse."},
                   {"role":"developer","content":[{"type":"text","text":"Use metric units."}]},
                   {"role":"user","content":[{"type":"text","text":"What is in these pictures?"},
                       {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                       {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"low"}}]},
                   {"role":"user","content":"And the weather in Paris?"},
                   {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_01","type":"function",
                       "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
                   {"role":"tool","tool_call_id":"toolu_01","content":"18 C, sunny"},
                   {"role":"user","content":"Thanks"}
                 ]}""");

        UpstreamRequest sent = chat.request(request, "claude-haiku-4-5", PROVIDER);

        assertThat(sent.uri()).hasToString("https://api.anthropic.com/v1/messages");
        assertThat(sent.headers()).containsEntry("x-api-key", KEY).containsEntry("anthropic-version", "2023-06-01")
                .containsEntry("content-type", "application/json").containsEntry("accept", "text/event-stream")
                .containsEntry("anthropic-beta", "prompt-caching-2024-07-31").doesNotContainKey("Authorization");
        assertThat(json(new String(sent.body(), StandardCharsets.UTF_8))).isEqualTo(json("""
                {"messages":[
                   {"role":"user","content":[{"type":"text","text":"What is in these pictures?"},
                       {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                       {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
                       {"type":"text","text":"And the weather in Paris?"}]},
                   {"role":"assistant","content":[{"type":"text","text":"Checking."},
                       {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"location":"Paris"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"18 C, sunny"},
                       {"type":"text","text":"Thanks"}]}
                 ],
                 "system":[{"type":"text","text":"You are terse."},{"type":"text","text":"Use metric units."}],
                 "max_tokens":300,"temperature":0.2,"top_p":0.9,"stop_sequences":["END"],
                 "tools":[{"name":"get_weather","description":"Current weather",
                           "input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}],
                 "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
                 "metadata":{"user_id":"user-42"},"stream":true,"model":"claude-haiku-4-5"}"""));
    }

    @Test
    void maxTokensDefaultsWhenTheClientGaveNoneAndToolChoicesMap() {
        ChatRequest request = chatRequest("""
                {"model":"chat","tool_choice":"required","tools":[{"type":"function","function":{"name":"f"}}],
                 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]}""");

        JsonNode body = json(new String(chat.request(request, "claude-haiku-4-5", PROVIDER).body(), StandardCharsets.UTF_8));

        assertThat(body.get("max_tokens").asInt()).isEqualTo(4096);
        assertThat(body.get("system").asText()).isEqualTo("Be brief.");
        assertThat(body.get("tool_choice")).isEqualTo(json("{\"type\":\"any\"}"));
        assertThat(body.get("tools")).isEqualTo(json("{\"t\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}]}").get("t"));
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void contentAnthropicCannotTakeIsA400NamingTheField() {
        assertThatThrownBy(() -> chat.request(chatRequest("""
                {"model":"chat","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]}"""),
                "claude-haiku-4-5", PROVIDER))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("image_url.url");
        assertThatThrownBy(() -> chat.request(chatRequest("""
                {"model":"chat","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"}}]}]}"""),
                "claude-haiku-4-5", PROVIDER))
                .isInstanceOf(ApiError.class).hasMessageContaining("messages[0].content[0].type");
        assertThatThrownBy(() -> chat.request(chatRequest("""
                {"model":"chat","messages":[{"role":"assistant","tool_calls":[{"id":"t","type":"function",
                 "function":{"name":"f","arguments":"not json"}}]}]}"""), "claude-haiku-4-5", PROVIDER))
                .isInstanceOf(ApiError.class).hasMessageContaining("messages[0].tool_calls[0].function.arguments");
        assertThatThrownBy(() -> chat.request(chatRequest("{\"model\":\"chat\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                "claude-haiku-4-5", PROVIDER))
                .isInstanceOf(ApiError.class).hasMessageContaining("'n'");
    }

    @Test
    void aMessageBecomesAChatCompletion() {
        TranslatedAnswer answer = chat.answer(Fixtures.read("anthropic/message.json").getBytes(StandardCharsets.UTF_8),
                chatRequest(Configs.CHAT));

        assertThat(Translate.withoutCreated(json(new String(answer.clientBody(), StandardCharsets.UTF_8)))).isEqualTo(json("""
                {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","object":"chat.completion","model":"claude-haiku-4-5-20251001",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi! My name is Claude.","refusal":null},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":2095,"completion_tokens":503,"total_tokens":2598,
                          "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}"""));
        assertThat(answer.usage()).isEqualTo(new Usage(2095, 0, 0, 503, 0));
        assertThat(answer.responseModel()).isEqualTo("claude-haiku-4-5-20251001");
    }

    @Test
    void cacheReadsAndWritesAreTheirOwnBucketsAndPartOfOpenAisPromptTokens() {
        TranslatedAnswer answer = chat.answer(Fixtures.read("anthropic/message-cached.json").getBytes(StandardCharsets.UTF_8),
                chatRequest(Configs.CHAT));

        assertThat(answer.usage()).isEqualTo(new Usage(21, 188086, 1800, 393, 0));
        JsonNode usage = json(new String(answer.clientBody(), StandardCharsets.UTF_8)).get("usage");
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(21 + 188086 + 1800);
        assertThat(usage.at("/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(188086);
        assertThat(usage.get("total_tokens").asLong()).isEqualTo(21 + 188086 + 1800 + 393);
    }

    @Test
    void toolUseBecomesToolCallsWithArgumentsAsAJsonString() {
        TranslatedAnswer answer = chat.answer(Fixtures.read("anthropic/message-tool-use.json").getBytes(StandardCharsets.UTF_8),
                chatRequest(Configs.CHAT));

        JsonNode choice = json(new String(answer.clientBody(), StandardCharsets.UTF_8)).at("/choices/0");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.at("/message/content").asText()).isEqualTo("I'll check the current weather in San Francisco for you.");
        assertThat(choice.at("/message/tool_calls")).isEqualTo(json("""
                {"c":[{"id":"toolu_01A09q90qw90lq917835lq9","type":"function",
                       "function":{"name":"get_weather","arguments":"{\\"location\\":\\"San Francisco, CA\\",\\"unit\\":\\"celsius\\"}"}}]}""").get("c"));
    }

    @Test
    void somethingElseThanAMessageIsInvalid() {
        assertThatThrownBy(() -> chat.answer("{\"type\":\"completion\"}".getBytes(StandardCharsets.UTF_8), chatRequest(Configs.CHAT)))
                .isInstanceOf(InvalidUpstreamResponse.class);
    }

    @Test
    void aTextStreamArrivesChunkByChunkWithoutAUsageChunkNobodyAskedFor() {
        StreamTranslator stream = chat.stream(chatRequest(Configs.CHAT_STREAM));

        String client = Translate.stream(stream, Fixtures.read("anthropic/stream-text.sse"));

        String chunk = "{\"id\":\"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY\",\"object\":\"chat.completion.chunk\","
                + "\"model\":\"claude-haiku-4-5-20251001\",\"choices\":[{\"index\":0,\"delta\":%s,\"logprobs\":null,\"finish_reason\":%s}]}";
        assertThat(Translate.events(client)).containsExactly(
                json(chunk.formatted("{\"role\":\"assistant\",\"content\":\"\"}", "null")),
                json(chunk.formatted("{\"content\":\"Hello\"}", "null")),
                json(chunk.formatted("{\"content\":\"!\"}", "null")),
                json(chunk.formatted("{}", "\"stop\"")),
                Translate.DONE);
        assertThat(client).endsWith("data: [DONE]\n\n");
        assertThat(stream.finished()).isTrue();
        assertThat(stream.usage()).isEqualTo(new Usage(25, 0, 0, 15, 0));
        assertThat(stream.responseModel()).isEqualTo("claude-haiku-4-5-20251001");
    }

    @Test
    void theUsageChunkComesLastWhenTheClientAskedForIt() {
        String client = Translate.stream(chat.stream(chatRequest(
                "{\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")),
                Fixtures.read("anthropic/stream-text.sse"));

        List<JsonNode> events = Translate.events(client);
        JsonNode usageChunk = events.get(events.size() - 2);
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage")).isEqualTo(json("""
                {"prompt_tokens":25,"completion_tokens":15,"total_tokens":40,
                 "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}"""));
    }

    @Test
    void aToolUseStreamBecomesOneToolCallWhoseArgumentsArriveInPieces() {
        StreamTranslator stream = chat.stream(chatRequest(Configs.CHAT_STREAM));

        List<JsonNode> events = Translate.events(Translate.stream(stream, Fixtures.read("anthropic/stream-tool-use.sse")));

        List<JsonNode> deltas = events.stream().filter(JsonNode::isObject).map(e -> e.at("/choices/0/delta")).toList();
        assertThat(deltas.get(1)).isEqualTo(json("{\"content\":\"Okay\"}"));
        assertThat(deltas.get(3)).isEqualTo(json("""
                {"tool_calls":[{"index":0,"id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","type":"function",
                                "function":{"name":"get_weather","arguments":""}}]}"""));
        assertThat(deltas.get(4)).isEqualTo(json("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\":\"}}]}"));
        StringBuilder arguments = new StringBuilder();
        deltas.forEach(d -> d.path("tool_calls").forEach(c -> arguments.append(c.at("/function/arguments").asText())));
        assertThat(json(arguments.toString())).isEqualTo(json("{\"location\": \"San Francisco, CA\", \"unit\": \"fahrenheit\"}"));
        assertThat(events.get(events.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        // input 472, cache read 1024 from message_start; the output count from message_delta.
        assertThat(stream.usage()).isEqualTo(new Usage(472, 1024, 0, 89, 0));
    }

    @Test
    void anErrorEventMidStreamIsAnInvalidUpstreamResponse() {
        StreamTranslator stream = chat.stream(chatRequest(Configs.CHAT_STREAM));

        assertThatThrownBy(() -> Translate.stream(stream, Fixtures.read("anthropic/stream-overloaded.sse")))
                .isInstanceOf(InvalidUpstreamResponse.class).hasMessageContaining("overloaded_error");
        assertThat(stream.finished()).isFalse();
        assertThat(stream.outputText()).hasToString("Hello");
        // Cut before message_delta: message_start's report (metering bills it or the text seen, the larger).
        assertThat(stream.usage()).isEqualTo(new Usage(25, 0, 0, 1, 0));
    }

    /** Request bodies the tests share. */
    static final class Configs {
        static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        static final String CHAT_STREAM = "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }
}
