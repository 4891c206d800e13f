package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.chatRoute;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.HeldUpstream;
import dev.tollgate.sidecar.testing.RawHttp;
import dev.tollgate.sidecar.testing.RawHttp.Response;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Past the in-flight limit a request gets 503 {@code overloaded} with Retry-After and reaches no provider; a slot
 * is free again as soon as its answer has left, so a client that sends its next request the moment it has the
 * answer, on any connection, is served.
 */
class InflightLimitTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final byte[] BODY = Configs.chatBody("chat", false).getBytes(StandardCharsets.UTF_8);

    private HeldUpstream upstream;
    private TestSidecar sidecar;

    @BeforeEach
    void start() {
        upstream = new HeldUpstream();
        sidecar = TestSidecar.start(SidecarSettings.defaults().withLimits(1, 64 * 1024),
                chatRoute(upstream.provider("ai/openai")));
    }

    @AfterEach
    void stop() {
        sidecar.close();
        upstream.close();
    }

    @Test
    void oneRequestPastTheLimitIsRefusedAndTheNextAfterAnAnswerIsServedOnAnyConnection() throws Exception {
        try (RawHttp first = connect(); RawHttp second = connect()) {
            first.send(RawHttp.postHead(CHAT, BODY.length)).send(BODY);
            assertThat(upstream.awaitHeldRequest(10)).isTrue();

            second.send(RawHttp.postHead(CHAT, BODY.length)).send(BODY);
            Response refused = second.read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers()).containsEntry("retry-after", "1");
            assertThat(new ObjectMapper().readTree(refused.body()).at("/error/code").asText()).isEqualTo("overloaded");
            assertThat(upstream.received()).isEqualTo(1);

            upstream.answer();
            assertThat(first.read().status()).isEqualTo(200);
            // Each request goes out the moment the one before was answered, alternating connections: the slot
            // must already be free, not freed a moment after the answer left.
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                RawHttp client = i % 2 == 0 ? second : first;
                client.send(RawHttp.postHead(CHAT, BODY.length)).send(BODY);
                statuses.add(client.read().status());
            }
            assertThat(statuses).containsOnly(200);
        }
        assertThat(upstream.received()).isEqualTo(201);
    }

    private RawHttp connect() {
        return RawHttp.connect(sidecar.sidecar().proxyPort(), 30_000);
    }
}
