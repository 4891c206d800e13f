package dev.tollgate.sidecar.provider.anthropic;

import static dev.tollgate.sidecar.provider.anthropic.Translate.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.MessagesRequest;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.testing.Fixtures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** /v1/messages to an Anthropic backend: the body goes up as sent but for the model; answers come back untouched. */
class AnthropicMessagesPassThroughTest {
    private static final ProviderConfig PROVIDER = new ProviderConfig("ai/anthropic", "anthropic", null,
            "sk-ant-api03-secretsecretsecret", null, null, null, null);
    private static final String REQUEST = """
            {"model":"claude","max_tokens":1024,"stream":%s,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"Hello, Claude"}],"thinking":{"type":"enabled","budget_tokens":512},"top_k":5}""";

    private static MessagesRequest request(boolean stream) {
        return MessagesRequest.parse(REQUEST.formatted(stream).getBytes(StandardCharsets.UTF_8));
    }

    private final ApiAdapter<MessagesRequest> messages = new AnthropicAdapter().messages("claude-haiku-4-5").orElseThrow();

    @Test
    void theBodyIsTheClientsButForTheModel() {
        UpstreamRequest sent = messages.request(request(false), "claude-haiku-4-5", PROVIDER);

        assertThat(sent.uri()).isEqualTo(URI.create("https://api.anthropic.com/v1/messages"));
        assertThat(sent.headers()).containsEntry("x-api-key", "sk-ant-api03-secretsecretsecret")
                .containsEntry("anthropic-version", "2023-06-01").containsEntry("accept", "application/json");
        ObjectNode expected = (ObjectNode) json(REQUEST.formatted(false));
        expected.put("model", "claude-haiku-4-5");
        assertThat(json(new String(sent.body(), StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void theAnswerIsPassedThroughByteForByteAndItsUsageRead() {
        byte[] body = Fixtures.read("anthropic/message-cached.json").getBytes(StandardCharsets.UTF_8);

        TranslatedAnswer answer = messages.answer(body, request(false));

        assertThat(answer.clientBody()).isEqualTo(body);
        assertThat(answer.usage()).isEqualTo(new Usage(21, 188086, 1800, 393, 0));
        assertThat(answer.responseModel()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void everyEventIsPassedThroughAsItCameWhileUsageIsRead() {
        StreamTranslator stream = messages.stream(request(true));
        String upstream = Fixtures.read("anthropic/stream-tool-use.sse");

        String client = Translate.stream(stream, upstream);

        assertThat(client).isEqualTo(upstream.strip() + "\n\n");
        assertThat(stream.finished()).isTrue();
        assertThat(stream.usage()).isEqualTo(new Usage(472, 1024, 0, 89, 0));
        assertThat(stream.responseModel()).isEqualTo("claude-haiku-4-5-20251001");
    }

    @Test
    void laterCumulativeCountsInMessageDeltaWin() {
        StreamTranslator stream = messages.stream(request(true));

        Translate.stream(stream, """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-haiku-4-5-20251001","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":849,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":10}}}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":849,"cache_creation_input_tokens":12,"cache_read_input_tokens":3,"output_tokens":47}}

                event: message_stop
                data: {"type":"message_stop"}
                """);

        assertThat(stream.usage()).isEqualTo(new Usage(849, 3, 12, 47, 0));
    }
}
