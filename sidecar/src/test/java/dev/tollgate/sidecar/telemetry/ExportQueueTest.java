package dev.tollgate.sidecar.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Batching, dropping and the last export at close, with an exporter that records what it is given. */
class ExportQueueTest {
    private final List<List<Integer>> exported = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();

    @Test
    void itemsOfferedTogetherLeaveInFullBatchesAndTheRestAfterTheDelay() throws Exception {
        ExportQueue<Integer> queue = queue(4_096, items -> succeeded(items));

        offer(queue, 1_200);
        awaitExported(1_200);

        assertThat(exported).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(ExportQueue.MAX_BATCH));
        assertThat(exported).hasSizeLessThanOrEqualTo(4); // 512, 512, 176 — not one export per item
        assertThat(exported.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(numbers(1_200));
        assertThat(dropped).hasValue(0);
        queue.close();
    }

    @Test
    void closingExportsEverythingStillQueued() {
        ExportQueue<Integer> queue = queue(4_096, items -> succeeded(items));

        offer(queue, 2_000);
        queue.close();

        assertThat(exported.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(numbers(2_000));
        assertThat(dropped).hasValue(0);
    }

    @Test
    void aFailedExportAndAnOfferPastTheBoundAreCountedAsDropped() {
        ExportQueue<Integer> queue = queue(100, items -> CompletableResultCode.ofFailure());
        queue.close(); // nothing is taken any more: every offer finds the queue closed

        offer(queue, 150);

        assertThat(dropped).hasValue(150);
        ExportQueue<Integer> failing = queue(1_000, items -> CompletableResultCode.ofFailure());
        offer(failing, 300);
        failing.close();
        assertThat(dropped).hasValue(450);
    }

    private ExportQueue<Integer> queue(int capacity, Function<Collection<Integer>, CompletableResultCode> exporter) {
        TelemetrySettings settings = TelemetrySettings.fromEnv(Map.of(TelemetrySettings.QUEUE_SIZE, String.valueOf(capacity),
                TelemetrySettings.TIMEOUT, "1000"));
        return new ExportQueue<>(Signal.TRACES, settings, exporter, (signal, count) -> dropped.addAndGet(count));
    }

    private CompletableResultCode succeeded(Collection<Integer> items) {
        exported.add(new ArrayList<>(items));
        return CompletableResultCode.ofSuccess();
    }

    private static void offer(ExportQueue<Integer> queue, int count) {
        for (int i = 0; i < count; i++) {
            queue.offer(i);
        }
    }

    private void awaitExported(int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (exported.stream().mapToInt(List::size).sum() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }

    private static List<Integer> numbers(int count) {
        return IntStream.range(0, count).boxed().toList();
    }
}
