package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.chatRoute;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.testing.SlowUpstream;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A thousand streams at once against a slow provider (20 chunks, 50 ms apart): each completes with its
 * usage line, and the sidecar serves them all with the threads it had for one.
 */
class ConcurrentStreamsTest {
    private static final int STREAMS = 1_000;
    /** The sidecar's own threads: XNIO's (the server's and the upstream client's), the timer, the usage log. */
    private static final Pattern SIDECAR_THREAD = Pattern.compile("XNIO-.*|tollgate-.*");

    @Test
    void aThousandConcurrentStreamsCompleteOnAFlatThreadCount() throws Exception {
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(30)).build();
        try (SlowUpstream upstream = new SlowUpstream(20, 50, 8);
             TestSidecar sidecar = TestSidecar.start(SidecarSettings.defaults().withLimits(4 * STREAMS, 1 << 20),
                     chatRoute(upstream.provider("ai/slow")))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(sidecar.baseUrl() + "/chat/completions"))
                    .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(chatBody("chat", true))).build();
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).body()).endsWith("data: [DONE]\n\n");
            long threadsForOne = sidecarThreads();

            List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                streams.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            long mostThreads = threadsForOne;
            while (!CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).isDone()) {
                mostThreads = Math.max(mostThreads, sidecarThreads());
                Thread.sleep(20);
            }

            for (CompletableFuture<HttpResponse<String>> stream : streams) {
                HttpResponse<String> response = stream.get();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).endsWith("data: [DONE]\n\n");
            }
            assertThat(upstream.completed()).isEqualTo(STREAMS + 1);
            List<JsonNode> lines = sidecar.usageLines(STREAMS + 1);
            assertThat(lines).hasSize(STREAMS + 1).allMatch(line -> line.get("status").asInt() == 200
                    && line.get("tokens").get("output").asLong() == 20);
            assertThat(mostThreads).as("sidecar threads with %d streams open vs. with one", STREAMS).isEqualTo(threadsForOne);
        } finally {
            clientThreads.shutdownNow();
        }
    }

    private static long sidecarThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> SIDECAR_THREAD.matcher(t.getName()).matches()).count();
    }
}
