package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.mock;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built-in mock provider: deterministic answers, real token counts, failures and cut streams on demand. */
class MockProviderTest {
    private TestSidecar sidecar;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        sidecar = TestSidecar.start(config(
                List.of(mock("demo/healthy", new MockConfig(0, 5, 2, null, null, null)),
                        mock("demo/broken", new MockConfig(0, 0, 1, 503, null, null)),
                        mock("demo/cutting", new MockConfig(0, 5, 1, null, 3, null))),
                List.of(route("demo/chat", List.of("chat"), backend("demo/broken", "gpt-4o-mini", 0),
                                backend("demo/healthy", "gpt-4o-mini", 1)),
                        route("demo/cut", List.of("cut"), backend("demo/cutting", "gpt-4o-mini", 0))),
                List.of()));
        client = sidecar.openAi("unused");
    }

    @AfterEach
    void stop() {
        sidecar.close();
    }

    @Test
    void answersDeterministicallyWithRealTokenCountsAfterFailingOver() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("chat")
                .addUserMessage("What is a sidecar?").build();

        ChatCompletion first = client.chat().completions().create(params);
        ChatCompletion second = client.chat().completions().create(params);

        String answer = first.choices().get(0).message().content().orElseThrow();
        assertThat(answer).contains("What is a sidecar?");
        assertThat(second.choices().get(0).message().content()).hasValue(answer);
        assertThat(first.usage().orElseThrow().completionTokens()).isEqualTo(TokenCounter.shared().count(answer));
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("provider").asText()).isEqualTo("demo/healthy");
        assertThat(line.get("attempts").asInt()).isEqualTo(2);
        assertThat(line.get("priced").asBoolean()).isTrue();
    }

    @Test
    void streamsInChunksAndHonoursMaxTokens() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("chat")
                .addUserMessage("Stream please").maxCompletionTokens(5).build();
        List<String> pieces = new ArrayList<>();
        String finish = null;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().filter(s -> !s.isEmpty()).ifPresent(pieces::add);
                    if (choice.finishReason().isPresent()) {
                        finish = choice.finishReason().get().asString();
                    }
                }
            }
        }

        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(TokenCounter.shared().count(String.join("", pieces))).isLessThanOrEqualTo(5);
        assertThat(finish).isEqualTo("length");
        assertThat(sidecar.usageLines(1).get(0).get("tokens").get("output").asLong()).isLessThanOrEqualTo(5);
    }

    @Test
    void aCutStreamEndsWithAnErrorEventAndIsStillBilled() {
        HttpResponse<String> response = sidecar.post("/v1/chat/completions",
                "{\"model\":\"cut\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story\"}]}");

        assertThat(response.body()).contains("upstream_stream_cut").doesNotContain("[DONE]");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("tokens").get("output").asLong()).isPositive();
        assertThat(line.get("costMicros").asLong()).isPositive();
    }
}
