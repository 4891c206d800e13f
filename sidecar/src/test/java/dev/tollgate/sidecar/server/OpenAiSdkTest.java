package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.key;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against a running sidecar that routes to an OpenAI-format upstream. */
class OpenAiSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "tg_sdkTestToken0123456789abcdefABCDEF";

    private FakeUpstream upstream;
    private TestSidecar sidecar;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        sidecar = TestSidecar.start(config(
                List.of(openAi("ai/openai", upstream)),
                List.of(route("team/chat", List.of("chat", "gpt-4o-mini*"), backend("ai/openai", "gpt-4o-mini", 0))),
                List.of(key("team/bot", TOKEN, 5_000_000L, List.of("chat")))));
        client = sidecar.openAi(TOKEN);
    }

    @AfterEach
    void stop() {
        sidecar.close();
        upstream.close();
    }

    private static ChatCompletionCreateParams.Builder hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
    }

    @Test
    void completionIsRoutedRewrittenAndMetered() throws Exception {
        upstream.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        ChatCompletion completion = client.chat().completions().create(hello("chat").build());

        assertThat(completion.choices().get(0).message().content()).hasValue("Hello! How can I assist you today?");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(29);
        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.uri()).isEqualTo("/v1/chat/completions");
        assertThat(JSON.readTree(sent.body()).get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + Configs.PROVIDER_KEY);
        assertThat(sent.header("OpenAI-Organization")).isEqualTo("org-test");
        assertThat(sent.body() + sent.headers()).doesNotContain(TOKEN);

        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("route").asText()).isEqualTo("team/chat");
        assertThat(line.get("model").asText()).isEqualTo("chat");
        assertThat(line.get("upstreamModel").asText()).isEqualTo("gpt-4o-mini");
        assertThat(line.get("spendKey").asText()).isEqualTo("team/bot");
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(19);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(10);
        // gpt-4o-mini list price: $0.15 / 1M input, $0.60 / 1M output → 19×0.15 + 10×0.60 = 8.85 µ$ → 9.
        assertThat(line.get("costMicros").asLong()).isEqualTo(9);
        assertThat(sidecar.usageLogText()).doesNotContain("Say hello").doesNotContain(TOKEN);
    }

    @Test
    void cachedAndReasoningTokensArePricedAtTheirOwnRates() {
        sidecar.sidecar().apply(config(List.of(openAi("ai/openai", upstream)),
                List.of(route("team/reason", List.of("reasoner"), backend("ai/openai", "o4-mini", 0))), List.of()));
        upstream.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion-cached.json")));

        sidecar.openAi("no-spend-key").chat().completions().create(hello("reasoner").build());

        JsonNode tokens = sidecar.usageLines(1).get(0).get("tokens");
        assertThat(tokens.get("input").asLong()).isEqualTo(86);
        assertThat(tokens.get("cachedInput").asLong()).isEqualTo(1920);
        assertThat(tokens.get("output").asLong()).isEqualTo(44);
        assertThat(tokens.get("reasoning").asLong()).isEqualTo(256);
        // o4-mini: 86×1.10 + 1920×0.275 + (44+256)×4.40 = 94.6 + 528 + 1320 = 1942.6 µ$ → 1943.
        assertThat(sidecar.usageLines(1).get(0).get("costMicros").asLong()).isEqualTo(1943);
    }

    @Test
    void streamArrivesChunkByChunkWithoutTheUsageChunkNobodyAskedFor() throws Exception {
        upstream.enqueue(Reply.sse(Fixtures.read("openai/chat-stream.sse")));

        StringBuilder text = new StringBuilder();
        int usageChunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(hello("chat").build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
                if (chunk.usage().isPresent()) {
                    usageChunks++;
                }
            }
        }

        assertThat(text).hasToString("Hello! How can I help?");
        assertThat(usageChunks).isZero();
        JsonNode sent = JSON.readTree(upstream.last().body());
        assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("streamed").asBoolean()).isTrue();
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(9);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(6);
        assertThat(line.get("ttftMs")).isNotNull();
    }

    @Test
    void streamKeepsTheUsageChunkWhenTheClientAskedForIt() {
        upstream.enqueue(Reply.sse(Fixtures.read("openai/chat-stream.sse")));

        long totalTokens = 0;
        ChatCompletionCreateParams params = hello("chat")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                if (chunk.usage().isPresent()) {
                    totalTokens += chunk.usage().get().totalTokens();
                }
            }
        }

        assertThat(totalTokens).isEqualTo(15);
    }

    @Test
    void theProvidersConnectionIsReusedAfterPlainAndStreamedAnswers() {
        upstream.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")),
                Reply.sse(Fixtures.read("openai/chat-stream.sse")),
                Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        client.chat().completions().create(hello("chat").build());
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(hello("chat").build())) {
            stream.stream().forEach(chunk -> { });
        }
        client.chat().completions().create(hello("chat").build());

        // One keep-alive connection: no new TCP (and, to a real provider, TLS) handshake per request.
        assertThat(upstream.received()).extracting(FakeUpstream.Received::clientPort).containsOnly(upstream.received().get(0).clientPort());
    }

    @Test
    void modelListShowsTheRoutedNamesThisKeyMayUse() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).containsExactly("chat");
        assertThat(sidecar.openAi("not-a-spend-key").models().list().data()).extracting(Model::id).containsExactly("chat");
    }

    @Test
    void errorsSurfaceAsTheSdksExceptions() {
        assertThatThrownBy(() -> client.chat().completions().create(hello("no-such-model").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");
        assertThatThrownBy(() -> sidecar.openAi("tg_unknownToken000000000000").chat().completions().create(hello("chat").build()))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> client.chat().completions().create(hello("gpt-4o-mini").build()))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("gpt-4o-mini");

        upstream.enqueue(Reply.json(400, Fixtures.read("openai/error-400.json")));
        assertThatThrownBy(() -> client.chat().completions().create(hello("chat").maxCompletionTokens(16_000).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("max_tokens is too large");

        // Above every backend's output limit (gpt-4o-mini: 16,384): refused here, before any budget or provider.
        assertThatThrownBy(() -> client.chat().completions().create(hello("chat").maxCompletionTokens(999_999).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("'max_completion_tokens'");
        assertThat(upstream.received()).hasSize(1);
    }
}
