package dev.tollgate.sidecar.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.api.ResponsesRequest;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.StreamTranslation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiResponsesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProviderConfig GROQ = new ProviderConfig("ai/groq", "groq", null, "gsk_test0123456789",
            null, null, null, null);

    private final ApiAdapter<ResponsesRequest> responses = new OpenAiAdapter().responses("gpt-4.1").orElseThrow();

    private static ResponsesRequest request(boolean stream) {
        return ResponsesRequest.parse(("{\"model\":\"assistant\",\"instructions\":\"You are a helpful assistant.\","
                + "\"input\":[{\"role\":\"user\",\"content\":\"Hello!\"}],\"stream\":" + stream
                + ",\"max_output_tokens\":500}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void requestGoesToTheResponsesUrlOfTheProvidersBaseWithOnlyTheModelChanged() throws Exception {
        UpstreamRequest sent = responses.request(request(false), "openai/gpt-oss-120b", GROQ);

        assertThat(sent.uri()).hasToString("https://api.groq.com/openai/v1/responses");
        assertThat(sent.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("Content-Type", "application/json",
                "Accept", "application/json", "Authorization", "Bearer gsk_test0123456789"));
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"model":"openai/gpt-oss-120b","instructions":"You are a helpful assistant.",
                 "input":[{"role":"user","content":"Hello!"}],"stream":false,"max_output_tokens":500}"""));
    }

    @Test
    void aStreamedRequestAsksForEventsAndAddsNothingToTheBody() throws Exception {
        UpstreamRequest sent = responses.request(request(true), "gpt-4.1", GROQ);

        assertThat(sent.headers()).containsEntry("Accept", "text/event-stream");
        assertThat(JSON.readTree(sent.body()).has("stream_options")).isFalse();
        assertThat(JSON.readTree(sent.body()).get("stream").asBoolean()).isTrue();
    }

    @Test
    void answerPassesThroughWithInclusiveCountsSplitIntoDisjointBuckets() {
        byte[] body = Fixtures.read("openai/response-reasoning.json").getBytes(StandardCharsets.UTF_8);

        TranslatedAnswer answer = responses.answer(body, request(false));

        assertThat(answer.clientBody()).isEqualTo(body);
        // input_tokens 2006 of which 1920 cached; output_tokens 300 of which 256 reasoning.
        assertThat(answer.usage()).isEqualTo(new Usage(86, 1920, 0, 44, 256));
        assertThat(answer.responseModel()).isEqualTo("o4-mini-2025-04-16");
    }

    @Test
    void answerWithoutUsageKeepsItsOutputTextForAnEstimate() throws Exception {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Fixtures.read("openai/response.json"));
        tree.remove("usage");

        TranslatedAnswer answer = responses.answer(JSON.writeValueAsBytes(tree), request(false));

        assertThat(answer.usage()).isNull();
        assertThat(answer.outputText()).hasToString(
                "In a peaceful grove beneath a silver moon, a unicorn named Lumina discovered a hidden pool that reflected the stars.");
        assertThatThrownBy(() -> responses.answer("{\"id\":\"resp_1\"}".getBytes(StandardCharsets.UTF_8), request(false)))
                .isInstanceOf(InvalidUpstreamResponse.class).hasMessageContaining("'output'");
    }

    @Test
    void streamPassesEveryEventThroughByteForByteAndReadsUsageFromResponseCompleted() {
        String upstream = Fixtures.read("openai/response-stream.sse");
        StreamTranslator translator = responses.stream(request(true));

        String client = StreamTranslation.run(translator, upstream);

        assertThat(client).isEqualTo(upstream);
        assertThat(translator.finished()).isTrue();
        assertThat(translator.usage()).isEqualTo(new Usage(37, 0, 0, 11, 0));
        assertThat(translator.responseModel()).isEqualTo("gpt-4.1-2025-04-14");
        assertThat(translator.outputText()).hasToString("Hi there! How can I assist you today?");
    }

    @Test
    void aStreamCutBeforeItsTerminalEventIsNotFinishedAndKeepsTheTextSeen() {
        String upstream = Fixtures.read("openai/response-stream.sse");
        String cut = upstream.substring(0, upstream.indexOf("event: response.output_text.done"));
        StreamTranslator translator = responses.stream(request(true));

        StreamTranslation.run(translator, cut);

        assertThat(translator.finished()).isFalse();
        assertThat(translator.usage()).isNull();
        assertThat(translator.outputText()).hasToString("Hi there! How can I assist you today?");
    }

    @Test
    void incompleteAndFailedResponsesEndTheStreamWithWhateverUsageTheyCarry() throws Exception {
        StreamTranslator incomplete = responses.stream(request(true));
        incomplete.onEvent(new SseEvent("response.incomplete", """
                {"type":"response.incomplete","sequence_number":9,"response":{"id":"resp_1","object":"response",\
                "status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"model":"gpt-4.1-2025-04-14",\
                "output":[],"usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":0},"output_tokens":500,\
                "output_tokens_details":{"reasoning_tokens":0},"total_tokens":520}}}"""), bytes -> { });
        assertThat(incomplete.finished()).isTrue();
        assertThat(incomplete.usage()).isEqualTo(new Usage(20, 0, 0, 500, 0));

        StreamTranslator failed = responses.stream(request(true));
        StringBuilder client = new StringBuilder();
        failed.onEvent(new SseEvent("response.failed", """
                {"type":"response.failed","sequence_number":3,"response":{"id":"resp_2","object":"response",\
                "status":"failed","error":{"code":"server_error","message":"The model failed to generate a response."},\
                "model":"gpt-4.1-2025-04-14","output":[],"usage":null}}"""), bytes -> client.append(new String(bytes, StandardCharsets.UTF_8)));
        assertThat(failed.finished()).isTrue();
        assertThat(failed.usage()).isNull();
        assertThat(client).startsWith("event: response.failed\ndata: {\"type\":\"response.failed\"").endsWith("}\n\n");
    }

    @Test
    void anErrorEventFailsTheStreamWithTheProvidersMessage() {
        StreamTranslator translator = responses.stream(request(true));

        assertThatThrownBy(() -> StreamTranslation.run(translator, Fixtures.read("openai/response-stream-error.sse")))
                .isInstanceOf(InvalidUpstreamResponse.class)
                .hasMessageContaining("The server had an error while processing your request");
        assertThat(translator.finished()).isFalse();
        assertThatThrownBy(() -> responses.stream(request(true)).onEvent(new SseEvent(null, "not json"), bytes -> { }))
                .isInstanceOf(InvalidUpstreamResponse.class);
    }
}
