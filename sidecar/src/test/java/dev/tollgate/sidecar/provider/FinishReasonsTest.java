package dev.tollgate.sidecar.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.ClientRequest;
import dev.tollgate.sidecar.api.MessagesRequest;
import dev.tollgate.sidecar.api.ResponsesRequest;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.anthropic.MessagesOverChat;
import dev.tollgate.sidecar.provider.bedrock.BedrockTestSupport;
import dev.tollgate.sidecar.testing.Events;
import dev.tollgate.sidecar.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every family reads why the model stopped, as the provider said it, from a complete answer and from
 * a stream (the providers' documented fixtures), whichever client API it serves.
 */
class FinishReasonsTest {
    private static final String MODEL = "some-model";
    private static final byte[] CHAT = ("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHAT_STREAM = ("{\"model\":\"" + MODEL + "\",\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGES = ("{\"model\":\"" + MODEL + "\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGES_STREAM = ("{\"model\":\"" + MODEL + "\",\"max_tokens\":64,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESPONSES = ("{\"model\":\"" + MODEL + "\",\"input\":\"hi\"}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESPONSES_STREAM = ("{\"model\":\"" + MODEL + "\",\"input\":\"hi\",\"stream\":true}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void openAiChatAnswersAndStreams() {
        ProviderAdapter openAi = family("openai-compatible");
        assertThat(answer(openAi.chat(), ChatRequest.parse(CHAT), "openai/chat-completion.json")).containsExactly("stop");
        assertThat(stream(openAi, openAi.chat(), ChatRequest.parse(CHAT_STREAM), sse("openai/chat-stream.sse")))
                .containsExactly("stop");
    }

    @Test
    void openAiResponsesAnswersAndStreams() {
        ProviderAdapter openAi = family("openai-compatible");
        ApiAdapter<ResponsesRequest> responses = openAi.responses(MODEL).orElseThrow();
        assertThat(answer(responses, ResponsesRequest.parse(RESPONSES), "openai/response.json")).containsExactly("completed");
        assertThat(stream(openAi, responses, ResponsesRequest.parse(RESPONSES_STREAM), sse("openai/response-stream.sse")))
                .containsExactly("completed");
    }

    @Test
    void anthropicAnswersAndStreamsToChatAndToMessages() {
        ProviderAdapter anthropic = family("anthropic");
        assertThat(answer(anthropic.chat(), ChatRequest.parse(CHAT), "anthropic/message.json")).containsExactly("end_turn");
        assertThat(stream(anthropic, anthropic.chat(), ChatRequest.parse(CHAT_STREAM), sse("anthropic/stream-text.sse")))
                .containsExactly("end_turn");
        ApiAdapter<MessagesRequest> messages = anthropic.messages(MODEL).orElseThrow();
        assertThat(answer(messages, MessagesRequest.parse(MESSAGES), "anthropic/message.json")).containsExactly("end_turn");
        assertThat(stream(anthropic, messages, MessagesRequest.parse(MESSAGES_STREAM), sse("anthropic/stream-text.sse")))
                .containsExactly("end_turn");
    }

    @Test
    void messagesServedOverChatKeepTheChatProvidersReason() {
        ProviderAdapter openAi = family("openai-compatible");
        MessagesOverChat messages = new MessagesOverChat(openAi.chat());
        assertThat(answer(messages, MessagesRequest.parse(MESSAGES), "openai/chat-completion.json")).containsExactly("stop");
        assertThat(stream(openAi, messages, MessagesRequest.parse(MESSAGES_STREAM), sse("openai/chat-stream.sse")))
                .containsExactly("stop");
    }

    @Test
    void geminiAnswersAndStreams() {
        ProviderAdapter gemini = family("gemini");
        assertThat(answer(gemini.chat(), ChatRequest.parse(CHAT), "gemini/generate-content.json")).containsExactly("STOP");
        assertThat(stream(gemini, gemini.chat(), ChatRequest.parse(CHAT_STREAM), sse("gemini/stream.sse")))
                .containsExactly("STOP");
    }

    @Test
    void bedrockAnswersAndStreams() {
        ProviderAdapter bedrock = family("bedrock");
        assertThat(answer(bedrock.chat(), ChatRequest.parse(CHAT), "bedrock/converse-text.json")).containsExactly("end_turn");
        assertThat(stream(bedrock, bedrock.chat(), ChatRequest.parse(CHAT_STREAM),
                BedrockTestSupport.concat(BedrockTestSupport.frames(Fixtures.read("bedrock/converse-stream-text.events")))))
                .containsExactly("end_turn");
    }

    @Test
    void aProviderNamingEndlessChoicesIsHeldToTheBound() {
        StringBuilder choices = new StringBuilder();
        for (int i = 0; i < FinishReasons.MAX + 50; i++) {
            choices.append(i == 0 ? "" : ",").append("{\"index\":").append(i)
                    .append(",\"message\":{\"role\":\"assistant\",\"content\":\"x\"},\"finish_reason\":\"stop\"}");
        }
        byte[] body = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[" + choices + "]}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(family("openai-compatible").chat().answer(body, ChatRequest.parse(CHAT)).finishReasons())
                .hasSize(FinishReasons.MAX);
    }

    private static ProviderAdapter family(String type) {
        ProviderConfig config = new ProviderConfig("ai/" + type, type, "https://provider.example", "key", null, null,
                Map.of("region", "us-east-1"), null);
        return new ProviderFactory(null).create(config).adapter();
    }

    private static <R extends ClientRequest> List<String> answer(ApiAdapter<R> api, R request, String fixture) {
        return api.answer(Fixtures.read(fixture).getBytes(StandardCharsets.UTF_8), request).finishReasons();
    }

    private static byte[] sse(String fixture) {
        return (Fixtures.read(fixture).strip() + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The stream as the relay reads it: the family's framing, every event through a fresh translator. */
    private static <R extends ClientRequest> List<String> stream(ProviderAdapter family, ApiAdapter<R> api, R request,
                                                                 byte[] body) {
        StreamTranslator translator = api.stream(request);
        try {
            Events.Reader reader = Events.reader(family.events(), new ByteArrayInputStream(body));
            SseEvent event;
            while ((event = reader.next()) != null) {
                translator.onEvent(event, sse -> { });
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(translator.finished()).as("the fixture is a whole stream").isTrue();
        return translator.finishReasons();
    }
}
