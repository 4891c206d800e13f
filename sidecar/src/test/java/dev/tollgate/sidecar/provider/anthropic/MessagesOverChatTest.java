package dev.tollgate.sidecar.provider.anthropic;

import static dev.tollgate.sidecar.provider.anthropic.Translate.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.api.MessagesRequest;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.openai.OpenAiAdapter;
import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic's Messages API served by an OpenAI-type backend, through the OpenAI family's own chat adapter. */
class MessagesOverChatTest {
    private static final ProviderConfig OPENAI = new ProviderConfig("ai/openai", "openai", null, "sk-proj-secret000000",
            null, null, null, null);
    private static final String HELLO = "{\"model\":\"claude\",\"max_tokens\":256,\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    private final MessagesOverChat messages = new MessagesOverChat(new OpenAiAdapter().chat());

    private static MessagesRequest request(String json) {
        return MessagesRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFullConversationBecomesTheChatRequestOpenAiDocuments() {
        UpstreamRequest sent = messages.request(request("""
                {"model":"claude","max_tokens":300,"stream":true,"temperature":0.3,"top_p":0.8,"top_k":5,
                 "stop_sequences":["END"],"metadata":{"user_id":"user-42"},
                 "system":[{"type":"text","text":"You are terse."},{"type":"text","text":"Use metric units."}],
                 "tools":[{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}],
                 "tool_choice":{"type":"any","disable_parallel_tool_use":true},
                 "messages":[
                   {"role":"user","content":[{"type":"text","text":"What is this?"},
                       {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
                       {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]},
                   {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"text","text":"Checking."},
                       {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"location":"Paris"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":[{"type":"text","text":"18 C"}]},
                       {"type":"text","text":"Thanks"}]}
                 ]}"""), "gpt-4o-mini", OPENAI);

        assertThat(sent.uri()).hasToString("https://api.openai.com/v1/chat/completions");
        assertThat(sent.headers()).containsEntry("Authorization", "Bearer sk-proj-secret000000");
        assertThat(json(new String(sent.body(), StandardCharsets.UTF_8))).isEqualTo(json("""
                {"model":"gpt-4o-mini","messages":[
                   {"role":"system","content":"You are terse.\\n\\nUse metric units."},
                   {"role":"user","content":[{"type":"text","text":"What is this?"},
                       {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
                       {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]},
                   {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_01","type":"function",
                       "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
                   {"role":"tool","tool_call_id":"toolu_01","content":"18 C"},
                   {"role":"user","content":[{"type":"text","text":"Thanks"}]}
                 ],
                 "max_completion_tokens":300,"temperature":0.3,"top_p":0.8,"stop":["END"],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                           "parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}],
                 "tool_choice":"required","parallel_tool_calls":false,"user":"user-42",
                 "stream":true,"stream_options":{"include_usage":true}}"""));
    }

    @Test
    void whatChatCannotCarryIsA400NamingTheBlock() {
        assertThatThrownBy(() -> messages.request(request("""
                {"model":"claude","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"}}]}]}"""),
                "gpt-4o-mini", OPENAI))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("messages[0].content[0].type");
        assertThatThrownBy(() -> messages.request(request("""
                {"model":"claude","max_tokens":10,"tools":[{"type":"web_search_20250305","name":"web_search"}],
                 "messages":[{"role":"user","content":"hi"}]}"""), "gpt-4o-mini", OPENAI))
                .isInstanceOf(ApiError.class).hasMessageContaining("tools[0]");
    }

    @Test
    void aChatCompletionBecomesAnAnthropicMessage() {
        TranslatedAnswer answer = messages.answer(Fixtures.read("openai/chat-completion.json").getBytes(StandardCharsets.UTF_8),
                request(HELLO.formatted(false)));

        assertThat(json(new String(answer.clientBody(), StandardCharsets.UTF_8))).isEqualTo(json("""
                {"id":"msg_chatcmplB9MBs8CjcvOU2jLn4n570S5qMJKcT","type":"message","role":"assistant","model":"gpt-4o-mini-2024-07-18",
                 "content":[{"type":"text","text":"Hello! How can I assist you today?"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":19,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":10}}"""));
        assertThat(answer.usage()).isEqualTo(new Usage(19, 0, 0, 10, 0));
    }

    @Test
    void cachedAndReasoningTokensKeepTheirMeaning() {
        TranslatedAnswer answer = messages.answer(Fixtures.read("openai/chat-completion-cached.json").getBytes(StandardCharsets.UTF_8),
                request(HELLO.formatted(false)));

        // OpenAI's 2006 prompt tokens include 1920 cached; its 300 completion tokens include 256 reasoning.
        assertThat(json(new String(answer.clientBody(), StandardCharsets.UTF_8)).get("usage")).isEqualTo(json(
                "{\"input_tokens\":86,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1920,\"output_tokens\":300}"));
        assertThat(answer.usage()).isEqualTo(new Usage(86, 1920, 0, 44, 256));
    }

    @Test
    void toolCallsBecomeToolUseBlocks() {
        TranslatedAnswer answer = messages.answer(Fixtures.read("anthropic/chat-tool-call.json").getBytes(StandardCharsets.UTF_8),
                request(HELLO.formatted(false)));

        JsonNode message = json(new String(answer.clientBody(), StandardCharsets.UTF_8));
        assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(message.get("content")).isEqualTo(json("""
                {"c":[{"type":"tool_use","id":"call_DdmO9pD3xa9XTPNJ32zg2hcA","name":"get_weather","input":{"location":"Paris, France"}}]}""").get("c"));
    }

    @Test
    void chatChunksBecomeAnthropicEventsInTheirDocumentedOrder() {
        StreamTranslator stream = messages.stream(request(HELLO.formatted(true)));

        String client = Translate.stream(stream, Fixtures.read("openai/chat-stream.sse"));

        assertThat(client).startsWith("event: message_start\ndata: {");
        List<JsonNode> events = Translate.events(client);
        assertThat(events).containsExactly(
                json("""
                        {"type":"message_start","message":{"id":"msg_chatcmplB9MHDbslfkBeAs8l4bebGdFOJ6PeG","type":"message","role":"assistant",
                         "content":[],"model":"gpt-4o-mini-2024-07-18","stop_reason":null,"stop_sequence":null,
                         "usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}"""),
                json("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                json("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"),
                json("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}"),
                json("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" How\"}}"),
                json("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" can I help?\"}}"),
                json("{\"type\":\"content_block_stop\",\"index\":0}"),
                json("""
                        {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
                         "usage":{"input_tokens":9,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":6}}"""),
                json("{\"type\":\"message_stop\"}"));
        assertThat(stream.finished()).isTrue();
        assertThat(stream.usage()).isEqualTo(new Usage(9, 0, 0, 6, 0));
    }

    @Test
    void aStreamedToolCallBecomesAToolUseBlockWithInputJsonDeltas() {
        StreamTranslator stream = messages.stream(request(HELLO.formatted(true)));

        List<JsonNode> events = Translate.events(Translate.stream(stream, Fixtures.read("anthropic/chat-tool-call-stream.sse")));

        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("message_start", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(1)).isEqualTo(json("""
                {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"call_DdmO9pD3xa9XTPNJ32zg2hcA","name":"get_weather","input":{}}}"""));
        StringBuilder input = new StringBuilder();
        events.subList(2, 5).forEach(e -> {
            assertThat(e.at("/delta/type").asText()).isEqualTo("input_json_delta");
            input.append(e.at("/delta/partial_json").asText());
        });
        assertThat(json(input.toString())).isEqualTo(json("{\"location\":\"Paris, France\"}"));
        assertThat(events.get(6).at("/delta/stop_reason").asText()).isEqualTo("tool_use");
        assertThat(events.get(6).at("/usage/output_tokens").asLong()).isEqualTo(15);
    }
}
