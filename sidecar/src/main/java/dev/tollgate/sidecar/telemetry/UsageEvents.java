package dev.tollgate.sidecar.telemetry;

import dev.tollgate.sidecar.metering.UsageLine;
import dev.tollgate.sidecar.metering.UsageRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Instant;

/**
 * Each usage line as an OpenTelemetry log record (event {@value #EVENT_NAME}): each of its fields as
 * an attribute of the same name ({@code tokens.input} for nested ones), and what a usage-billing
 * system keys on under {@code billing.*}. The usage line owns the field names; an event can never
 * disagree with it. No body: the semantic conventions put an event's content in its attributes, and
 * the line again as a body would double what each event costs to build and send. In the request's
 * trace and span. Events are never sampled; they go through their own {@link ExportQueue}.
 */
final class UsageEvents {
    static final String EVENT_NAME = "tollgate.usage";
    static final AttributeKey<String> CUSTOMER = AttributeKey.stringKey("billing.customer_id");
    static final AttributeKey<String> IDEMPOTENCY_KEY = AttributeKey.stringKey("billing.idempotency_key");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("billing.quantity.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("billing.quantity.output_tokens");
    static final AttributeKey<Long> COST_MICROS = AttributeKey.longKey("billing.quantity.cost_micros_usd");

    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final LogRecordExporter exporter;
    private final ExportQueue<LogRecordData> queue;

    UsageEvents(Resource resource, InstrumentationScopeInfo scope, LogRecordExporter exporter, TelemetrySettings settings,
                DropCounter drops) {
        this.resource = resource;
        this.scope = scope;
        this.exporter = exporter;
        this.queue = new ExportQueue<>(Signal.USAGE_EVENTS, settings, exporter::export, drops);
    }

    /** Never blocks: the event is only queued. */
    void emit(UsageRecord record, SpanContext span) {
        FieldAttributes attributes = new FieldAttributes();
        UsageLine.write(record, attributes);
        if (record.user() != null) {
            attributes.put(CUSTOMER, record.user());
        }
        if (record.requestId() != null) {
            attributes.put(IDEMPOTENCY_KEY, record.requestId());
        }
        attributes.put(INPUT_TOKENS, record.tokens().totalInput());
        attributes.put(OUTPUT_TOKENS, record.tokens().totalOutput());
        attributes.put(COST_MICROS, record.costMicros());
        queue.offer(new UsageEvent(resource, scope, nanos(record.time()), nanos(Instant.now()), span, attributes));
    }

    private static long nanos(Instant time) {
        return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }

    /** Exports what is queued (bounded by the export timeout), then stops. */
    void close() {
        queue.close();
        exporter.shutdown();
    }
}
