package dev.tollgate.sidecar.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Batches items for one exporter on a daemon thread. A request only ever offers to a bounded queue:
 * when it is full (the collector slow or down) the item is dropped and counted, never waited for.
 * A batch the exporter fails to deliver (after its own retries) is counted as dropped too. The SDK's
 * batch processors do the same but report drops only through OpenTelemetry metrics; this one counts
 * them where the sidecar's other metrics are.
 */
final class ExportQueue<T> {
    static final int MAX_BATCH = 512;

    private final Signal signal;
    private final BlockingQueue<T> queue;
    private final Function<Collection<T>, CompletableResultCode> exporter;
    private final long exportTimeoutMs;
    private final long scheduleDelayMs;
    private final DropCounter drops;
    private final Thread worker;
    private volatile boolean closed;

    /** Holds up to {@code settings.queueSize()} items, exporting every {@code settings.scheduleDelayMs()}. */
    ExportQueue(Signal signal, TelemetrySettings settings, Function<Collection<T>, CompletableResultCode> exporter,
                DropCounter drops) {
        this.signal = signal;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.exporter = exporter;
        this.exportTimeoutMs = settings.exportTimeoutMs();
        this.scheduleDelayMs = settings.scheduleDelayMs();
        this.drops = drops;
        this.worker = new Thread(this::run, "tollgate-otlp-" + signal.wireName());
        worker.setDaemon(true);
        worker.start();
    }

    /** Never blocks. */
    void offer(T item) {
        if (closed || !queue.offer(item)) {
            drops.dropped(signal, 1);
        } else if (queue.size() >= MAX_BATCH) {
            LockSupport.unpark(worker); // a full batch need not wait out the delay
        }
    }

    int queued() {
        return queue.size();
    }

    /** Exports what is queued (at most one export timeout per batch), then stops. */
    void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(exportTimeoutMs + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Batches fill for up to the schedule delay or {@value #MAX_BATCH} items: one export per batch,
     * not per item. Only a batch's first item and a full batch wake this thread: woken by every offer, it cost
     * a thread switch per span and event, on the request's thread too.
     */
    private void run() {
        List<T> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (!closed) {
                T first = queue.poll(scheduleDelayMs, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                awaitBatch();
                queue.drainTo(batch, MAX_BATCH - 1);
                export(batch);
            }
        } catch (InterruptedException stopping) {
            // closing: what is held and queued is exported below
        }
        do {
            queue.drainTo(batch, MAX_BATCH - batch.size());
            if (!batch.isEmpty()) {
                export(batch);
            }
        } while (!queue.isEmpty());
    }

    /** Until the batch's delay has passed or the rest of a full batch is queued. */
    private void awaitBatch() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(scheduleDelayMs);
        long left;
        while (queue.size() < MAX_BATCH - 1 && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void export(List<T> batch) {
        CompletableResultCode result;
        try {
            result = exporter.apply(List.copyOf(batch)).join(exportTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            result = CompletableResultCode.ofFailure();
        }
        if (!result.isSuccess()) {
            drops.dropped(signal, batch.size());
        }
        batch.clear();
    }
}
