package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a clear OpenAI-shaped error, reaches no provider, costs nothing and breaks nothing. */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeUpstream upstream;
    private TestSidecar sidecar;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        sidecar = TestSidecar.start(SidecarSettings.defaults().withLimits(2, 4096), config(
                List.of(openAi("ai/openai", upstream)),
                List.of(route("team/chat", List.of("chat"), new RetryConfig(1, RetryConfig.ALL_CLASSES, 10),
                        new TimeoutConfig(1_500, 1_000), backend("ai/openai", "gpt-4o-mini", 0))),
                List.of()));
    }

    @AfterEach
    void stop() {
        sidecar.close();
        upstream.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON      | {\"model\": \"chat\", \"messages\": [                          | 400 | invalid_json",
        "not an object       | [1, 2, 3]                                                        | 400 | invalid_json",
        "missing model       | {\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}          | 400 | missing_required_parameter",
        "model not a string  | {\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | invalid_type",
        "missing messages    | {\"model\":\"chat\"}                                             | 400 | missing_required_parameter",
        "messages not a list | {\"model\":\"chat\",\"messages\":\"hi\"}                         | 400 | invalid_type",
        "message without role| {\"model\":\"chat\",\"messages\":[{\"content\":\"hi\"}]}        | 400 | invalid_type",
        "stream not a boolean| {\"model\":\"chat\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | invalid_type",
        "negative max_tokens | {\"model\":\"chat\",\"max_tokens\":-1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | invalid_type",
        "unknown model       | {\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 404 | model_not_found",
    })
    void badRequestsGetAClearErrorAndNeverReachTheProvider(String name, String body, int status, String code) throws Exception {
        HttpResponse<String> response = sidecar.post("/v1/chat/completions", body);

        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isNotBlank();
        assertThat(upstream.received()).isEmpty();
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(status);
        assertThat(line.get("costMicros").asLong()).isZero();
    }

    /** A chat body whose message content is {@code before}, the raw bytes, then {@code after}. */
    private static byte[] chatWith(String before, byte[] raw, String after) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + before)
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(raw);
        body.writeBytes((after + "\"}]}").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static Stream<Arguments> malformedBodies() {
        String valid = chatBody("chat", false);
        return Stream.of(
                Arguments.of("extra closing brace", (valid + "}").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("garbage after the object", (valid + " garbage").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("two objects", (valid + valid).getBytes(StandardCharsets.UTF_8)),
                Arguments.of("overlong '/' C0 AF", chatWith("a", bytes(0xC0, 0xAF), "b")),
                Arguments.of("overlong 3-byte E0 80 AF", chatWith("a", bytes(0xE0, 0x80, 0xAF), "b")),
                Arguments.of("overlong 4-byte F0 80 80 AF", chatWith("a", bytes(0xF0, 0x80, 0x80, 0xAF), "b")),
                Arguments.of("above U+10FFFF F4 90 80 80", chatWith("a", bytes(0xF4, 0x90, 0x80, 0x80), "b")),
                Arguments.of("5-byte form F8 88 80 80 80", chatWith("a", bytes(0xF8, 0x88, 0x80, 0x80, 0x80), "b")),
                Arguments.of("lone high surrogate ED A0 80", chatWith("a", bytes(0xED, 0xA0, 0x80), "b")),
                Arguments.of("lone low surrogate ED B0 80", chatWith("a", bytes(0xED, 0xB0, 0x80), "b")),
                Arguments.of("stray continuation byte 80", chatWith("a", bytes(0x80), "b")),
                Arguments.of("truncated sequence E2 82", chatWith("a", bytes(0xE2, 0x82), "b")),
                Arguments.of("invalid byte outside a string", ("{\"model\":\"chat\"," + new String(bytes(0xFF),
                        StandardCharsets.ISO_8859_1) + "\"messages\":[]}").getBytes(StandardCharsets.ISO_8859_1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void trailingContentAndInvalidUtf8Are400sThatNeverReachTheProviderNorCost(String name, byte[] body) throws Exception {
        upstream.always(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_json");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(upstream.received()).isEmpty();
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("status").asInt()).isEqualTo(400);
        assertThat(line.get("costMicros").asLong()).isZero();
        assertThat(line.get("tokens").get("input").asLong()).isZero();
    }

    @Test
    void wellFormedMultiByteTextAndTrailingWhitespaceAreServed() throws Exception {
        upstream.always(Reply.json(200, Fixtures.read("openai/chat-completion.json")));
        byte[] body = (new String(chatWith("caf\u00e9 \u20ac \ud83d\ude00", new byte[0], ""), StandardCharsets.UTF_8) + " \r\n\t")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(sidecar.post("/v1/chat/completions", body).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(upstream.last().body()).at("/messages/0/content").asText())
                .isEqualTo("caf\u00e9 \u20ac \ud83d\ude00");
    }

    @Test
    void unknownSpendKeyIs401() {
        HttpResponse<String> response = sidecar.post("/v1/chat/completions", chatBody("chat", false),
                "Authorization", "Bearer tg_doesNotExist0000000000000000");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("invalid_api_key").doesNotContain("tg_doesNotExist");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void oversizedBodyIs413() {
        String huge = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(10_000) + "\"}]}";

        HttpResponse<String> response = sidecar.post("/v1/chat/completions", huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("request_too_large");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void oversizedHeadersAreRefusedAndTheSidecarKeepsServing() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", sidecar.sidecar().proxyPort())) {
            String body = chatBody("chat", false);
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "y".repeat(100_000)
                    + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).doesNotStartWith("HTTP/1.1 200");
        } catch (java.net.SocketException reset) {
            // Refusing by closing the connection is fine too.
        }
        assertThat(upstream.received()).isEmpty();
        assertThat(sidecar.get(sidecar.adminUrl() + "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientExpecting100ContinueGetsItBeforeSendingTheBody() throws Exception {
        upstream.always(Reply.json(200, Fixtures.read("openai/chat-completion.json")));
        String body = chatBody("chat", false);
        try (Socket socket = new Socket("127.0.0.1", sidecar.sidecar().proxyPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 100 Continue");
            out.write(body.getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    /** A response's status line and headers, up to the blank line. */
    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            assertThat(b).as("connection open").isNotNegative();
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void wrongMethodAndUnknownPathAreErrorsInOpenAiShape() {
        assertThat(sidecar.get(sidecar.baseUrl() + "/chat/completions").statusCode()).isEqualTo(405);
        HttpResponse<String> unknown = sidecar.get(sidecar.baseUrl() + "/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error\"");
    }

    @Test
    void slowUpstreamHitsTheTimeoutWith504() {
        upstream.always(Reply.delayed(5_000, Reply.json(200, Fixtures.read("openai/chat-completion.json"))));

        HttpResponse<String> response = sidecar.post("/v1/chat/completions", chatBody("chat", false));

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("upstream_timeout");
    }

    @Test
    void concurrentRequestsBeyondTheLimitGet503AndTheOthersStillSucceed() throws Exception {
        upstream.always(Reply.delayed(700, Reply.json(200, Fixtures.read("openai/chat-completion.json"))));
        List<CompletableFuture<HttpResponse<String>>> slow = List.of(
                CompletableFuture.supplyAsync(() -> sidecar.post("/v1/chat/completions", chatBody("chat", false))),
                CompletableFuture.supplyAsync(() -> sidecar.post("/v1/chat/completions", chatBody("chat", false))));
        while (upstream.received().size() < 2) {
            Thread.sleep(10);
        }

        HttpResponse<String> third = sidecar.post("/v1/chat/completions", chatBody("chat", false));

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.body()).contains("overloaded");
        assertThat(third.headers().firstValue("Retry-After")).contains("1");
        for (CompletableFuture<HttpResponse<String>> f : slow) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void clientLeavingMidStreamCancelsTheUpstreamAndStillRecordsUsage() throws Exception {
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sse.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word\"},\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: [DONE]\n\n");
        upstream.always(Reply.sse(sse.toString(), 20, null));

        String body = chatBody("chat", true);
        try (Socket socket = new Socket("127.0.0.1", sidecar.sidecar().proxyPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String seen = "";
            byte[] buffer = new byte[4096];
            while (!seen.contains("word")) {
                int n = in.read(buffer);
                assertThat(n).isPositive();
                seen += new String(buffer, 0, n, StandardCharsets.UTF_8);
            }
        }

        assertThat(upstream.awaitBrokenStream(10)).as("the upstream stream was cancelled").isTrue();
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(line.get("error").asText()).isEqualTo("client_disconnected");
        assertThat(line.get("tokens").get("output").asLong()).isPositive();
        assertThat(line.get("costMicros").asLong()).isPositive();
    }
}
