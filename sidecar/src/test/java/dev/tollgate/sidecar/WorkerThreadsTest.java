package dev.tollgate.sidecar;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A burst gets a worker per request at once; once it is over, the workers beyond the kept few stop. */
class WorkerThreadsTest {
    /** Undertow's worker threads (XNIO's task pool), not its I/O threads. */
    private static final Pattern WORKER = Pattern.compile("XNIO-\\d+ task-\\d+");
    private static final int BURST = 3 * Sidecar.CORE_WORKERS;

    @Test
    void aBurstIsServedAtOnceAndTheExtraWorkersStopWhenIdle() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(BURST);
        try (FakeUpstream upstream = FakeUpstream.start();
             TestSidecar sidecar = TestSidecar.start(config(List.of(openAi("ai/openai", upstream)),
                     List.of(route("team/chat", List.of("chat"), backend("ai/openai", "gpt-4o-mini", 0))), List.of()))) {
            upstream.always(Reply.delayed(1_000, Reply.json(200, Fixtures.read("openai/chat-completion.json"))));

            List<CompletableFuture<HttpResponse<String>>> burst = IntStream.range(0, BURST)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> sidecar.post("/v1/chat/completions", chatBody("chat", false)), clients))
                    .toList();

            // Every request reached the provider before any answer came back: none waited for a worker.
            assertThat(await(() -> upstream.received().size() == BURST, 10_000)).isTrue();
            assertThat(burst).noneMatch(CompletableFuture::isDone);
            assertThat(workers()).isGreaterThanOrEqualTo(BURST);
            for (CompletableFuture<HttpResponse<String>> request : burst) {
                assertThat(request.get().statusCode()).isEqualTo(200);
            }

            assertThat(await(() -> workers() <= Sidecar.CORE_WORKERS, Sidecar.IDLE_WORKER_MS + 5_000))
                    .as("idle workers beyond %d stop", Sidecar.CORE_WORKERS).isTrue();
        } finally {
            clients.shutdownNow();
        }
    }

    private static long workers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> WORKER.matcher(t.getName()).matches()).count();
    }

    private static boolean await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
