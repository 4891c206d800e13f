package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.chatRoute;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.HeldUpstream;
import dev.tollgate.sidecar.testing.RawHttp;
import dev.tollgate.sidecar.testing.SlowUpstream;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hung provider is left after the attempt timeout; a client that leaves takes the provider call with it, before
 * a complete answer as well as mid-stream.
 */
class AttemptTimeoutAndCancelTest {

    @Test
    void aHungProviderOnACompleteAnswerFailsOverAfterTheAttemptTimeout() {
        try (FakeUpstream hung = FakeUpstream.start();
             FakeUpstream healthy = FakeUpstream.start();
             TestSidecar sidecar = TestSidecar.start(config(List.of(openAi("ai/hung", hung), openAi("ai/healthy", healthy)),
                     List.of(route("team/chat", List.of("chat"), new RetryConfig(2, RetryConfig.ALL_CLASSES, 10),
                             new TimeoutConfig(60_000, 30_000, 2_000, 0),
                             backend("ai/hung", "gpt-4o-mini", 0), backend("ai/healthy", "gpt-4o-mini", 1))), List.of()))) {
            hung.always(Reply.delayed(30_000, Reply.json(200, Fixtures.read("openai/chat-completion.json"))));
            healthy.always(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

            HttpResponse<String> answer = sidecar.post("/v1/chat/completions", chatBody("chat", false));

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(hung.received()).hasSize(1);
            assertThat(healthy.received()).hasSize(1);
            JsonNode line = sidecar.usageLines(1).get(0);
            assertThat(line.get("provider").asText()).isEqualTo("ai/healthy");
            assertThat(line.get("attempts").asInt()).isEqualTo(2);
            assertThat(sidecar.metrics()).contains("result=\"timeout\"");
        }
    }

    @Test
    void aClientLeavingBeforeACompleteAnswerCancelsTheProviderCallAndIsBilledNoAnswer() throws Exception {
        try (HeldUpstream upstream = new HeldUpstream();
             TestSidecar sidecar = TestSidecar.start(chatRoute(upstream.provider("ai/held")))) {
            try (Socket client = new Socket("127.0.0.1", sidecar.sidecar().proxyPort())) {
                String body = chatBody("chat", false);
                client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                client.getOutputStream().flush();
                assertThat(upstream.awaitHeldRequest(10)).as("the request reached the provider").isTrue();
            }

            List<JsonNode> lines = sidecar.usageLines(1);
            assertThat(lines).hasSize(1);
            assertThat(upstream.awaitClosedWhileHeld(10)).as("the provider saw its connection closed").isTrue();
            JsonNode line = lines.get(0);
            assertThat(line.get("status").asInt()).isEqualTo(499);
            assertThat(line.get("error").asText()).isEqualTo("client_disconnected");
            assertThat(line.get("streamed").asBoolean()).isFalse();
            assertThat(line.get("provider").asText()).isEqualTo("ai/held");
            assertThat(line.get("tokens").get("output").asLong()).as("no answer was seen").isZero();
            assertThat(line.get("tokens").get("input").asLong()).as("the prompt was sent").isPositive();
            awaitMetric(sidecar, "tollgate_inflight_requests 0.0");

            upstream.answer();
            HttpResponse<String> next = sidecar.post("/v1/chat/completions", chatBody("chat", false));
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(upstream.received()).isEqualTo(2);
            assertThat(upstream.closedWhileHeld()).isEqualTo(1);
        }
    }

    @Test
    void aRequestPipelinedBehindOneBeingServedIsServedAfterIt() throws Exception {
        try (HeldUpstream upstream = new HeldUpstream();
             TestSidecar sidecar = TestSidecar.start(chatRoute(upstream.provider("ai/held")));
             RawHttp client = RawHttp.connect(sidecar.sidecar().proxyPort(), 30_000)) {
            String body = chatBody("chat", false);
            client.send(RawHttp.postHead("/v1/chat/completions", body.length())).send(body);
            assertThat(upstream.awaitHeldRequest(10)).isTrue();

            // The next request arrives while the first is served: the sidecar reads it (watching for the client
            // leaving) and keeps it for after the first answer.
            client.send(RawHttp.postHead("/v1/chat/completions", body.length())).send(body);
            upstream.answer();

            assertThat(client.read().status()).isEqualTo(200);
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(upstream.received()).isEqualTo(2);
            assertThat(sidecar.usageLines(2)).extracting(line -> line.get("status").asInt()).containsExactly(200, 200);
        }
    }

    /** Until the sidecar's metrics show {@code sample} (a request's end is counted just after its line is written). */
    private static void awaitMetric(TestSidecar sidecar, String sample) throws InterruptedException {
        for (int i = 0; i < 500 && !sidecar.metrics().contains(sample); i++) {
            Thread.sleep(20);
        }
        assertThat(sidecar.metrics()).contains(sample);
    }

    @Test
    void aClientLeavingMidStreamCancelsTheProviderCall() throws Exception {
        try (SlowUpstream upstream = new SlowUpstream(40, 100, 8);
             TestSidecar sidecar = TestSidecar.start(chatRoute(upstream.provider("ai/slow")))) {
            try (Socket client = new Socket("127.0.0.1", sidecar.sidecar().proxyPort())) {
                String body = chatBody("chat", true);
                OutputStream out = client.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = client.getInputStream();
                String seen = "";
                while (!seen.contains("data: ")) {
                    byte[] some = new byte[512];
                    int n = in.read(some);
                    assertThat(n).isPositive();
                    seen += new String(some, 0, n, StandardCharsets.UTF_8);
                }
            }

            List<JsonNode> lines = sidecar.usageLines(1);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).get("error").asText()).isEqualTo("client_disconnected");
            for (int i = 0; i < 100 && upstream.dropped() == 0; i++) {
                Thread.sleep(100);
            }
            assertThat(upstream.dropped()).as("the provider saw its connection closed").isEqualTo(1);
            assertThat(upstream.completed()).isZero();
        }
    }
}
