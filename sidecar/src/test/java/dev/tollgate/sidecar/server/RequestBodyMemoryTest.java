package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.chatRoute;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.RawHttp;
import dev.tollgate.sidecar.testing.RawHttp.Response;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request bodies share one memory budget: a body that would not fit beside those being read gets
 * 503 with Retry-After at once, and the memory comes back when a request ends. Bodies sent in
 * chunks count as they arrive; a client that asks "Expect: 100-continue" is answered before it sends.
 */
class RequestBodyMemoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;
    private static final String CHAT = "/v1/chat/completions";

    private FakeUpstream upstream;
    private TestSidecar sidecar;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        upstream.always(Reply.json(200, Fixtures.read("openai/chat-completion.json")));
        // Room for one body of the largest size at a time.
        sidecar = TestSidecar.start(SidecarSettings.defaults().withLimits(16, MAX_BODY).withBodyMemory(MAX_BODY),
                chatRoute(openAi("ai/openai", upstream)));
    }

    @AfterEach
    void stop() {
        sidecar.close();
        upstream.close();
    }

    @Test
    void aBodyThatDoesNotFitBesideTheOnesBeingReadGets503WithRetryAfterAndFitsOnceTheyEnd() throws Exception {
        byte[] big = chatBody(60_000);
        byte[] small = chatBody(10_000);
        try (RawHttp slow = connect(); RawHttp other = connect()) {
            // Half of a large body: its whole length is held from its headers on.
            slow.send(RawHttp.postHead(CHAT, big.length)).send(slice(big, 0, big.length / 2));
            awaitBodyBytes(big.length);
            other.send(RawHttp.postHead(CHAT, small.length)).send(small);

            Response refused = other.read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers()).containsEntry("retry-after", "1");
            JsonNode error = JSON.readTree(refused.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("overloaded");
            assertThat(error.get("type").asText()).isEqualTo("api_error");
            assertThat(error.get("message").asText()).isNotBlank();

            slow.send(slice(big, big.length / 2, big.length));
            assertThat(slow.read().status()).isEqualTo(200);

            // The same connection, now that the large body's memory came back.
            other.send(RawHttp.postHead(CHAT, small.length)).send(small);
            assertThat(other.read().status()).isEqualTo(200);
        }
        assertThat(upstream.received()).hasSize(2);
        assertThat(sidecar.metrics()).contains("tollgate_requests_refused_total{code=\"overloaded\",} 1.0");
    }

    @Test
    void aChunkedBodyIsServedAndOnePastTheLimitGets413() throws Exception {
        byte[] fits = chatBody(40_000);
        byte[] tooLarge = chatBody(MAX_BODY + 1_000);
        try (RawHttp client = connect()) {
            client.send(RawHttp.postHead(CHAT, -1, "Transfer-Encoding: chunked")).send(chunked(fits));
            Response served = client.read();
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.body()).contains("chat.completion");

            client.send(RawHttp.postHead(CHAT, -1, "Transfer-Encoding: chunked")).send(chunked(tooLarge));
            Response refused = client.read();
            assertThat(refused.status()).isEqualTo(413);
            assertThat(JSON.readTree(refused.body()).get("error").get("code").asText()).isEqualTo("request_too_large");
        }
        assertThat(upstream.received()).hasSize(1);
        assertThat(upstream.last().body().contains("a".repeat(39_000))).as("the whole body reached the provider").isTrue();
    }

    @Test
    void aClientExpecting100ContinueSendsItsBodyWhenThereIsRoomAndIsAnsweredAtOnceWhenThereIsNot() throws Exception {
        byte[] big = chatBody(60_000);
        byte[] small = chatBody(10_000);
        try (RawHttp waiting = connect(); RawHttp refused = connect()) {
            waiting.send(RawHttp.postHead(CHAT, big.length, "Expect: 100-continue"));
            assertThat(waiting.read().status()).isEqualTo(100);

            // The first body's room is held from its "100 Continue" on: the second is refused before it sends.
            refused.send(RawHttp.postHead(CHAT, small.length, "Expect: 100-continue"));
            Response answer = refused.read();
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.headers()).containsEntry("retry-after", "1");

            waiting.send(big);
            assertThat(waiting.read().status()).isEqualTo(200);
        }
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void aKeptAliveConnectionCarriesOneStreamedRequestAfterAnother() {
        upstream.always(Reply.sse(Fixtures.read("openai/chat-stream.sse")));

        // One HTTP/1.1 client connection, reused: each body is read to its end, so the next request follows.
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> streamed = sidecar.post(CHAT, Configs.chatBody("chat", true));
            assertThat(streamed.statusCode()).isEqualTo(200);
            assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        }
    }

    /** Until the sidecar says it holds this many body bytes (it has read the headers that reserve them). */
    private void awaitBodyBytes(long bytes) throws InterruptedException {
        String held = "tollgate_request_body_bytes " + (double) bytes;
        for (int i = 0; i < 500 && !sidecar.metrics().contains(held); i++) {
            Thread.sleep(20);
        }
        assertThat(sidecar.metrics()).contains(held);
    }

    private RawHttp connect() {
        return RawHttp.connect(sidecar.sidecar().proxyPort(), 30_000);
    }

    /** A chat request of about {@code size} bytes. */
    static byte[] chatBody(int size) {
        String head = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"";
        String tail = "\"}]}";
        return (head + "a".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    /** In chunks of 8 KB, then the last, empty chunk. */
    private static String chunked(byte[] body) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length; i += 8192) {
            int n = Math.min(8192, body.length - i);
            out.append(Integer.toHexString(n)).append("\r\n").append(new String(body, i, n, StandardCharsets.UTF_8)).append("\r\n");
        }
        return out.append("0\r\n\r\n").toString();
    }
}
