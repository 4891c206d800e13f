package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.chatRoute;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.testing.SlowUpstream;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A client that does not read while the provider streams fast (11 kB every millisecond): the sidecar stops reading
 * the provider (which sees its writes stall) with a bounded number of bytes buffered for that stream;
 * when the client leaves, the provider is dropped and the buffer freed.
 */
class SlowClientTest {
    /** 44 MB: far more than the socket buffers between the provider, the sidecar and the client hold. */
    private static final int CHUNKS = 4_000;
    private static final int CHUNK_TEXT = 11_000;
    private static final Pattern BUFFERED = Pattern.compile("(?m)^tollgate_stream_buffered_bytes (\\S+)$");
    /**
     * The pause threshold, then the events of the one read that crossed it: the provider's socket is not
     * read once paused (about 70 kB measured in all).
     */
    private static final long BOUND = 2L * StreamRelay.PAUSE_AT_BYTES;
    /** How each content chunk's delta starts (the upstream's text is all 'w'). */
    private static final String CONTENT = "\"content\":\"w";

    @Test
    void aClientThatDoesNotReadPausesTheProviderWithBoundedBuffering() throws Exception {
        try (SlowUpstream upstream = new SlowUpstream(CHUNKS, 1, CHUNK_TEXT);
             TestSidecar sidecar = TestSidecar.start(chatRoute(upstream.provider("ai/fast")));
             Socket client = new Socket("127.0.0.1", sidecar.sidecar().proxyPort())) {
            client.setReceiveBufferSize(16 * 1024);
            stallStream(upstream, sidecar, client);

            // The client reads a little and leaves: the provider is dropped, the stream metered, the buffer freed.
            assertThat(new String(client.getInputStream().readNBytes(4096), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
            client.close();
            List<JsonNode> lines = sidecar.usageLines(1);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).get("error").asText()).isEqualTo("client_disconnected");
            assertThat(lines.get(0).get("tokens").get("output").asLong()).isPositive();
            for (int i = 0; i < 100 && upstream.dropped() == 0; i++) {
                Thread.sleep(100);
            }
            assertThat(upstream.dropped()).isEqualTo(1);
            assertThat(buffered(sidecar)).isZero();
        }
    }

    /**
     * Once the client reads again the provider is read on at once: the whole stream arrives (every chunk,
     * then [DONE]) within a bound that a resume limited to a trickle (120 kB/s) could not meet for 44 MB.
     * The client keeps its default receive buffer: one shrunk after connecting leaves a TCP window that
     * alone holds the stream to about that trickle.
     */
    @Test
    void aSlowClientThatReadsAgainGetsTheRestOfTheStreamAtOnce() throws Exception {
        try (SlowUpstream upstream = new SlowUpstream(CHUNKS, 1, CHUNK_TEXT);
             TestSidecar sidecar = TestSidecar.start(chatRoute(upstream.provider("ai/fast")));
             Socket client = new Socket("127.0.0.1", sidecar.sidecar().proxyPort())) {
            stallStream(upstream, sidecar, client);

            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[256 * 1024];
            StringBuilder tail = new StringBuilder();
            int contentChunks = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!tail.toString().contains("data: [DONE]") && System.nanoTime() < deadline) {
                int n = in.read(buffer);
                if (n == -1) {
                    break;
                }
                tail.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                contentChunks += count(tail, CONTENT);
                // Keep what may be the start of a marker cut by this read.
                tail.delete(0, Math.max(0, tail.length() - 64));
            }
            assertThat(contentChunks).as("content chunks the client received").isEqualTo(CHUNKS);
            assertThat(tail.toString()).as("the stream's end").contains("data: [DONE]");
            JsonNode line = sidecar.usageLines(1).get(0);
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("tokens").get("output").asLong()).isEqualTo(CHUNKS);
            assertThat(upstream.completed()).isEqualTo(1);
        }
    }

    /** Sends a streamed request and does not read: returns once the provider is held back with bytes buffered. */
    private static void stallStream(SlowUpstream upstream, TestSidecar sidecar, Socket client) throws Exception {
        String body = chatBody("chat", true);
        OutputStream out = client.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        out.flush();

        // The provider's sending stalls: it is throttled through the sidecar, not buffered by it.
        // Until the sidecar holds bytes for the client and the provider got nothing more out for a second.
        long sent = 0;
        int still = 0;
        for (int i = 0; i < 200 && still < 4; i++) {
            Thread.sleep(250);
            long now = upstream.bytesSent();
            still = now > 0 && now == sent && buffered(sidecar) > 0 ? still + 1 : 0;
            sent = now;
        }
        long total = (long) CHUNKS * CHUNK_TEXT;
        assertThat(upstream.bytesSent()).as("bytes the provider got out").isPositive().isLessThan(total / 4);
        assertThat(buffered(sidecar)).as("bytes the sidecar holds for the stream").isPositive().isLessThanOrEqualTo(BOUND);
    }

    /** Counts and removes the complete occurrences of {@code marker}. */
    private static int count(StringBuilder text, String marker) {
        int found = 0;
        int at;
        while ((at = text.indexOf(marker)) >= 0) {
            found++;
            text.delete(0, at + marker.length());
        }
        return found;
    }

    private static double buffered(TestSidecar sidecar) {
        Matcher m = BUFFERED.matcher(sidecar.metrics());
        assertThat(m.find()).as("the buffered-bytes gauge is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
