package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Valid JSON of the wrong shape, where a family translates it: the client's is a 400 naming the
 * field, before anything is sent; a provider's is a failed attempt (502), never the gateway's own 500.
 */
class WrongShapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeUpstream upstream;
    private TestSidecar sidecar;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        List<ProviderConfig> providers = List.of(openAi("ai/openai", upstream),
                new ProviderConfig("ai/anthropic", "anthropic", upstream.root(), "sk-ant-api03-secret0123456789", null, null, null, null),
                new ProviderConfig("ai/gemini", "gemini", upstream.root(), "AIzaSyShapeTestKey-0123456789", null, null, null, null),
                new ProviderConfig("ai/bedrock", "bedrock", upstream.root(), "ABSKshapeTestKey0123456789", null, null,
                        Map.of("region", "us-east-1"), null));
        sidecar = TestSidecar.start(config(providers, List.of(
                route("team/gpt", List.of("gpt"), backend("ai/openai", "gpt-4o-mini", 0)),
                route("team/claude", List.of("claude"), backend("ai/anthropic", "claude-haiku-4-5", 0)),
                route("team/gemini", List.of("gemini"), backend("ai/gemini", "gemini-2.0-flash", 0)),
                // Its own circuit breaker: the first test's failures do not open it.
                route("team/gemini-stream", List.of("gemini-stream"), backend("ai/gemini", "gemini-2.5-flash", 0)),
                route("team/bedrock", List.of("bedrock"), backend("ai/bedrock", "anthropic.claude-3-haiku-20240307-v1:0", 0))),
                List.of()));
    }

    @AfterEach
    void stop() {
        sidecar.close();
        upstream.close();
    }

    private static String assistantWithToolCallsObject(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":{\"id\":\"call_1\",\"type\":\"function\"}}]}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "tool_calls object to Anthropic | /v1/chat/completions | claude  | messages[1].tool_calls",
        "tool_calls object to Gemini    | /v1/chat/completions | gemini  | messages[1].tool_calls",
        "tool_calls object to Bedrock   | /v1/chat/completions | bedrock | messages[1].tool_calls",
        "tool_result content object     | /v1/messages         | gpt     | messages[0].content[0].content",
    })
    void aClientsWrongShapeIsA400NamingTheField(String name, String path, String model, String field) throws Exception {
        String body = path.equals("/v1/messages")
                ? "{\"model\":\"gpt\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                        + "\"tool_use_id\":\"toolu_1\",\"content\":{\"type\":\"text\",\"text\":\"18 C\"}}]}]}"
                : assistantWithToolCallsObject(model);

        HttpResponse<String> response = sidecar.post(path, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("message").asText()).contains("'" + field + "'");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void geminiCandidatesThatAreNoListAreTheProvidersFault() throws Exception {
        String garbage = "{\"candidates\":{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"}},\"modelVersion\":\"gemini-2.0-flash\"}";
        // Every retry gets the same answer, so the client sees why the last attempt failed.
        upstream.always(Reply.json(200, garbage));
        HttpResponse<String> answer = sidecar.post("/v1/chat/completions",
                "{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        upstream.always(Reply.sse("data: " + garbage + "\n\n"));
        HttpResponse<String> stream = sidecar.post("/v1/chat/completions",
                "{\"model\":\"gemini-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body()).contains("candidates");
        assertThat(stream.statusCode()).isEqualTo(502);
        assertThat(stream.body()).contains("candidates");
    }
}
