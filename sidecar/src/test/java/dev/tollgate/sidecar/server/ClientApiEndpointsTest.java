package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.key;
import static dev.tollgate.sidecar.testing.Configs.mock;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The endpoints beside chat completions validate their own request shapes, answer errors in the
 * shape their SDK reads (Anthropic's for /v1/messages), and accept the spend key where each SDK puts it.
 */
class ClientApiEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "tg_endpointsTestToken000000000000";

    private FakeUpstream upstream;
    private TestSidecar sidecar;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        sidecar = TestSidecar.start(config(List.of(openAi("ai/openai", upstream)),
                List.of(route("team/chat", List.of("chat", "embed"), backend("ai/openai", null, 0))),
                List.of(key("team/only-embed", TOKEN, 1_000_000L, List.of("embed")))));
    }

    @AfterEach
    void stop() {
        sidecar.close();
        upstream.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "/v1/embeddings | {\"model\":\"embed\"}                                          | missing_required_parameter | input",
        "/v1/embeddings | {\"model\":\"embed\",\"input\":[\"a\",2]}                     | invalid_type               | input[1]",
        "/v1/embeddings | {\"model\":\"embed\",\"input\":\"a\",\"dimensions\":0}         | invalid_type               | dimensions",
        "/v1/embeddings | {\"model\":\"embed\",\"input\":\"a\",\"encoding_format\":\"hex\"} | invalid_type            | encoding_format",
        "/v1/responses  | {\"model\":\"chat\"}                                           | missing_required_parameter | input",
        "/v1/responses  | {\"model\":\"chat\",\"input\":\"hi\",\"max_output_tokens\":-5} | invalid_type               | max_output_tokens",
    })
    void openAiEndpointsNameTheBadFieldInOpenAisShape(String path, String body, String code, String field) throws Exception {
        HttpResponse<String> response = sidecar.post(path, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).contains("'" + field + "'");
        assertThat(upstream.received()).isEmpty();
        assertThat(sidecar.usageLines(1).get(0).get("costMicros").asLong()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no max_tokens      | {\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}                     | max_tokens",
        "system as a role   | {\"model\":\"chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"hi\"}]}  | messages[0]",
        "content missing    | {\"model\":\"chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\"}]}                      | messages[0].content",
    })
    void messagesErrorsComeInAnthropicsShape(String name, String body, String field) throws Exception {
        HttpResponse<String> response = sidecar.post("/v1/messages", body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("type").asText()).isEqualTo("error");
        assertThat(answer.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(answer.at("/error/message").asText()).contains("'" + field + "'");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void theAnthropicSdksXApiKeyHeaderCarriesTheSpendKey() throws Exception {
        String messages = "{\"model\":\"chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        HttpResponse<String> unknown = sidecar.post("/v1/messages", messages, "x-api-key", "tg_notAKnownToken00000000000000");
        HttpResponse<String> notAllowed = sidecar.post("/v1/messages", messages, "x-api-key", TOKEN);

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unknown.body()).at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(unknown.body()).doesNotContain("tg_notAKnown");
        HttpResponse<String> besideAnotherBearer = sidecar.post("/v1/messages", messages,
                "Authorization", "Bearer sk-something-else", "x-api-key", TOKEN);
        assertThat(notAllowed.statusCode()).isEqualTo(403);
        assertThat(besideAnotherBearer.statusCode()).as("the tg_ key is used, whichever header carries it").isEqualTo(403);
        assertThat(JSON.readTree(notAllowed.body()).at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void anEndpointNoBackendOfTheRouteServesIsAClear400() throws Exception {
        try (TestSidecar mockOnly = TestSidecar.start(config(List.of(mock("ai/mock", MockConfig.defaults())),
                List.of(route("team/demo", List.of("embed"), backend("ai/mock", null, 0))), List.of()))) {
            HttpResponse<String> response = mockOnly.post("/v1/embeddings", "{\"model\":\"embed\",\"input\":\"hi\"}");

            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("api_not_served");
            assertThat(error.get("message").asText()).contains("route 'team/demo'").contains("/v1/embeddings");
            assertThat(mockOnly.usageLines(1).get(0).get("costMicros").asLong()).isZero();
        }
    }
}
