package dev.tollgate.sidecar.telemetry;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.mock;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.testing.OtlpReceiver;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A collector that refuses (503) or is down under load: every request is served, what cannot be
 * exported is dropped at the queue bound and counted, and nothing is lost without being counted.
 */
class CollectorOutageTest {
    private static final int QUEUE = 64;
    private static final String BODY = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void aCollectorAnswering503DropsAndCountsEverySpanAndEventWhileEveryRequestIsServed() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start().refuse()) {
            underLoad(collector.endpoint(), 3_000);
            assertThat(collector.spans()).isEmpty();
        }
    }

    @Test
    void aCollectorThatIsDownDropsAndCountsEverySpanAndEventWhileEveryRequestIsServed() throws Exception {
        OtlpReceiver gone = OtlpReceiver.start();
        String endpoint = gone.endpoint();
        gone.close();
        underLoad(endpoint, 2_000);
    }

    private static void underLoad(String endpoint, int requests) throws Exception {
        TestSidecar sidecar = TestSidecar.start(OtlpExportTest.exportingTo(endpoint, Map.of(
                        TelemetrySettings.QUEUE_SIZE, String.valueOf(QUEUE), TelemetrySettings.TIMEOUT, "500")),
                config(List.of(mock("demo/mock", MockConfig.defaults())),
                        List.of(route("demo/chat", List.of("chat"), backend("demo/mock", "gpt-4o-mini", 0))), List.of()));
        AtomicInteger served = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int c = 0; c < 4; c++) {
                done.add(clients.submit(() -> {
                    for (int i = 0; i < requests / 4; i++) {
                        if (sidecar.post("/v1/chat/completions", BODY).statusCode() == 200) {
                            served.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        List<JsonNode> lines = sidecar.usageLines(requests);
        // Closing exports (or drops) what is still queued: then every span and event is accounted for.
        sidecar.close();

        assertThat(served.get()).isEqualTo(requests);
        long attempts = lines.stream().mapToLong(line -> line.get("attempts").asLong()).sum();
        assertThat(dropped(sidecar, Signal.USAGE_EVENTS)).isEqualTo(requests);
        assertThat(dropped(sidecar, Signal.TRACES)).isEqualTo(requests + attempts);
    }

    private static double dropped(TestSidecar sidecar, Signal signal) {
        Double value = sidecar.sidecar().metrics().registry().getSampleValue("tollgate_telemetry_dropped_total",
                new String[] {"signal"}, new String[] {signal.wireName()});
        return value == null ? 0 : value;
    }
}
