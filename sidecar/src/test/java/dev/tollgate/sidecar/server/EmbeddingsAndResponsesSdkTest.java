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
import com.openai.errors.NotFoundException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI Java SDK's embeddings and Responses API calls through a sidecar to an OpenAI-type upstream. */
class EmbeddingsAndResponsesSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "tg_embedRespTestToken0123456789abcdef";

    private FakeUpstream upstream;
    private TestSidecar sidecar;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        sidecar = TestSidecar.start(config(List.of(openAi("ai/openai", upstream)),
                List.of(route("team/embed", List.of("embed"), backend("ai/openai", "text-embedding-3-small", 0)),
                        route("team/assistant", List.of("assistant"), backend("ai/openai", "gpt-4.1", 0)),
                        route("team/reasoner", List.of("reasoner"), backend("ai/openai", "o4-mini", 0))),
                List.of(key("team/bot", TOKEN, 5_000_000L, List.of()))));
        client = sidecar.openAi(TOKEN);
    }

    @AfterEach
    void stop() {
        sidecar.close();
        upstream.close();
    }

    @Test
    void embeddingsAreForwardedWithTheUpstreamModelAndTheirPromptTokensBilled() throws Exception {
        // A large batch, so the cost is well above rounding: 123,457 tokens.
        upstream.enqueue(Reply.json(200, Fixtures.read("openai/embeddings.json").replace("\"prompt_tokens\": 8", "\"prompt_tokens\": 123457")));

        CreateEmbeddingResponse answer = client.embeddings().create(EmbeddingCreateParams.builder().model("embed")
                .inputOfArrayOfStrings(List.of("The food was delicious", "and the waiter...")).dimensions(4).build());

        assertThat(answer.data()).hasSize(2);
        assertThat(answer.data().get(1).embedding()).containsExactly(0.010487145744264126f, -0.030398167669773102f,
                0.015212010405957699f, -0.0028802626766264439f);
        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.uri()).isEqualTo("/v1/embeddings");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + Configs.PROVIDER_KEY);
        JsonNode body = JSON.readTree(sent.body());
        assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(body.get("input")).hasSize(2);
        assertThat(body.get("dimensions").asInt()).isEqualTo(4);

        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("route").asText()).isEqualTo("team/embed");
        assertThat(line.get("upstreamModel").asText()).isEqualTo("text-embedding-3-small");
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(123_457);
        assertThat(line.get("tokens").get("output").asLong()).isZero();
        // text-embedding-3-small: $0.02 / 1M → 123,457 × 0.02 = 2,469.14 µ$ → 2,469.
        assertThat(line.get("costMicros").asLong()).isEqualTo(2_469);
    }

    @Test
    void aResponseIsForwardedAndItsCachedAndReasoningTokensArePricedAtTheirOwnRates() throws Exception {
        upstream.enqueue(Reply.json(200, Fixtures.read("openai/response-reasoning.json")));

        Response response = client.responses().create(ResponseCreateParams.builder().model("reasoner")
                .input("What is the answer?").maxOutputTokens(1000).build());

        assertThat(response.output().get(1).asMessage().content().get(0).asOutputText().text()).isEqualTo("42");
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(2306);
        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.uri()).isEqualTo("/v1/responses");
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree(
                "{\"model\":\"o4-mini\",\"input\":\"What is the answer?\",\"max_output_tokens\":1000}"));

        JsonNode line = sidecar.usageLines(1).get(0);
        JsonNode tokens = line.get("tokens");
        assertThat(List.of(tokens.get("input").asLong(), tokens.get("cachedInput").asLong(), tokens.get("output").asLong(),
                tokens.get("reasoning").asLong())).containsExactly(86L, 1920L, 44L, 256L);
        // o4-mini: 86×1.10 + 1920×0.275 + (44+256)×4.40 = 94.6 + 528 + 1320 = 1942.6 µ$ → 1943.
        assertThat(line.get("costMicros").asLong()).isEqualTo(1943);
        assertThat(line.get("streamed").asBoolean()).isFalse();
    }

    @Test
    void aStreamedResponseArrivesEventByEventAndIsMeteredFromResponseCompleted() throws Exception {
        upstream.enqueue(Reply.sse(Fixtures.read("openai/response-stream.sse"), 5, null));

        StringBuilder text = new StringBuilder();
        long completedTokens = 0;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
                ResponseCreateParams.builder().model("assistant").input("Hello!").build())) {
            for (ResponseStreamEvent event : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                event.outputTextDelta().ifPresent(delta -> text.append(delta.delta()));
                if (event.completed().isPresent()) {
                    completedTokens = event.completed().get().response().usage().orElseThrow().totalTokens();
                }
            }
        }

        assertThat(text).hasToString("Hi there! How can I assist you today?");
        assertThat(completedTokens).isEqualTo(48);
        assertThat(JSON.readTree(upstream.last().body()).get("stream").asBoolean()).isTrue();
        assertThat(upstream.last().header("Accept")).isEqualTo("text/event-stream");
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("streamed").asBoolean()).isTrue();
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("tokens").get("input").asLong()).isEqualTo(37);
        assertThat(line.get("tokens").get("output").asLong()).isEqualTo(11);
        // gpt-4.1: 37×2.00 + 11×8.00 = 162 µ$.
        assertThat(line.get("costMicros").asLong()).isEqualTo(162);
    }

    @Test
    void aStreamThatBreaksWithAnErrorEventIsBilledForWhatCameAndEndsInAnError() {
        upstream.enqueue(Reply.sse(Fixtures.read("openai/response-stream-error.sse")));

        List<ResponseStreamEvent> events = new java.util.ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
                ResponseCreateParams.builder().model("assistant").input("Hello!").build())) {
            stream.stream().forEach(events::add);
        }

        // The Responses API's own error event, as the SDK types it: what came before, then the error.
        assertThat(events).hasSize(2);
        assertThat(events.get(0).created()).isPresent();
        assertThat(events.get(1).error()).hasValueSatisfying(error -> {
            assertThat(error.code()).contains("upstream_stream_cut");
            assertThat(error.message()).contains("The provider's stream broke");
        });
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(502);
        assertThat(line.get("streamed").asBoolean()).isTrue();
    }

    @Test
    void aProviderWithoutTheResponsesApiAnswers404AndTheClientSeesItsRefusal() {
        upstream.enqueue(Reply.json(404, "{\"error\":{\"message\":\"Unknown request URL: POST /v1/responses.\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unknown_url\"}}"));

        assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("assistant").input("Hi").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Unknown request URL");
        assertThat(upstream.received()).hasSize(1);
        assertThat(sidecar.usageLines(1).get(0).get("costMicros").asLong()).isZero();
    }
}
