package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.chatRoute;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.ClientTimeouts;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.RawHttp;
import dev.tollgate.sidecar.testing.RawHttp.Response;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients that connect and stall (before a request, in the middle of its headers or of its body)
 * hold nothing for long: they are dropped after their timeout, and everyone else is served
 * meanwhile, even with fewer request slots than stalled clients.
 */
class StalledSendersTest {
    private static final int EACH = 100;
    private static final String CHAT = "/v1/chat/completions";

    @Test
    void stalledClientsAreDroppedAfterTheirTimeoutsAndValidRequestsAreServedMeanwhile() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestSidecar sidecar = TestSidecar.start(SidecarSettings.defaults().withLimits(EACH / 2, 64 * 1024)
                     .withClientTimeouts(new ClientTimeouts(1_000, 1_000, 1_000)),
                     chatRoute(openAi("ai/openai", upstream)))) {
            upstream.always(Reply.json(200, Fixtures.read("openai/chat-completion.json")));
            int port = sidecar.sidecar().proxyPort();
            String body = chatBody("chat", false);
            List<RawHttp> silent = new ArrayList<>();
            List<RawHttp> halfHeaders = new ArrayList<>();
            List<RawHttp> halfBodies = new ArrayList<>();
            try {
                for (int i = 0; i < EACH; i++) {
                    silent.add(RawHttp.connect(port, 30_000));
                    halfHeaders.add(RawHttp.connect(port, 30_000).send("POST " + CHAT + " HTTP/1.1\r\nHost: localhost\r\nContent-Le"));
                    halfBodies.add(RawHttp.connect(port, 30_000).send(RawHttp.postHead(CHAT, body.length()))
                            .send(body.substring(0, body.length() / 2)));
                }

                for (int i = 0; i < 5; i++) {
                    assertThat(sidecar.post(CHAT, body).statusCode()).isEqualTo(200);
                }

                for (RawHttp client : halfBodies) {
                    Response answer = client.read();
                    assertThat(answer.status()).isEqualTo(408);
                    assertThat(answer.body()).contains("\"code\":\"request_timeout\"");
                    assertThat(client.closedByServer()).as("closed after its body's timeout").isTrue();
                }
                assertThat(halfHeaders).allMatch(RawHttp::closedByServer, "closed after the headers' timeout");
                assertThat(silent).allMatch(RawHttp::closedByServer, "closed after the idle connection's timeout");
                assertThat(sidecar.post(CHAT, body).statusCode()).isEqualTo(200);
            } finally {
                silent.forEach(RawHttp::close);
                halfHeaders.forEach(RawHttp::close);
                halfBodies.forEach(RawHttp::close);
            }
            assertThat(upstream.received()).hasSize(6);
        }
    }
}
