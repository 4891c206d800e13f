package dev.tollgate.sidecar.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** Ended, sampled spans into an {@link ExportQueue}. */
final class QueuedSpanProcessor implements SpanProcessor {
    private final SpanExporter exporter;
    private final ExportQueue<SpanData> queue;

    QueuedSpanProcessor(SpanExporter exporter, TelemetrySettings settings, DropCounter drops) {
        this.exporter = exporter;
        this.queue = new ExportQueue<>(Signal.TRACES, settings, exporter::export, drops);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (span.getSpanContext().isSampled()) {
            queue.offer(span.toSpanData());
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
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
