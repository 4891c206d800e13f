package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that keeps its connection but stops reading a stream blocks the sidecar's writes. Past
 * the request timeout its connection is closed: the request ends, is metered, and frees its slot.
 */
class StalledClientTest {

    @Test
    void aClientThatStopsReadingIsCutLooseAfterTheRequestTimeout() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestSidecar sidecar = TestSidecar.start(config(List.of(openAi("ai/openai", upstream)),
                     List.of(route("team/chat", List.of("chat"), new RetryConfig(1, RetryConfig.ALL_CLASSES, 10),
                             new TimeoutConfig(6_000, 3_000), backend("ai/openai", "gpt-4o-mini", 0))), List.of()));
             Socket client = new Socket("127.0.0.1", sidecar.sidecar().proxyPort())) {
            upstream.always(Reply.sse(longStream()));
            client.setReceiveBufferSize(4096);
            String body = chatBody("chat", true);
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            // ...and never read a byte of the answer. The sidecar sees it stop once the socket buffers between them
            // (megabytes on loopback) are full and bytes wait for it: well before the request timeout.

            // Cut loose by the 6 s request timeout (or sooner, if more than MAX_WAITING_BYTES wait); the line follows.
            List<JsonNode> lines = sidecar.usageLines(1);

            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).get("error").asText()).isEqualTo("client_disconnected");
            assertThat(lines.get(0).get("streamed").asBoolean()).isTrue();
        }
    }

    /** Far more than the socket buffers between the sidecar and a client that does not read hold. */
    private static String longStream() {
        String piece = "a few plain words ".repeat(24);
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(piece).append("\"},\"finish_reason\":null}]}\n\n");
        }
        return sse.append("data: [DONE]\n\n").toString();
    }
}
