package dev.tollgate.sidecar.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

/** Emitted usage events into an {@link ExportQueue}; events are never sampled. */
final class QueuedLogProcessor implements LogRecordProcessor {
    private final LogRecordExporter exporter;
    private final ExportQueue<LogRecordData> queue;

    QueuedLogProcessor(LogRecordExporter exporter, int capacity, long exportTimeoutMs, DropCounter drops) {
        this.exporter = exporter;
        this.queue = new ExportQueue<>(Signal.USAGE_EVENTS, capacity, exporter::export, exportTimeoutMs, drops);
    }

    @Override
    public void onEmit(Context context, ReadWriteLogRecord logRecord) {
        queue.offer(logRecord.toLogRecordData());
    }

    int queued() {
        return queue.queued();
    }

    @Override
    public CompletableResultCode shutdown() {
        queue.close();
        return exporter.shutdown();
    }
}
