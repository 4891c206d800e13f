package dev.tollgate.sidecar.telemetry;

import dev.tollgate.sidecar.metering.UsageFields;
import dev.tollgate.sidecar.metering.UsageLine;
import dev.tollgate.sidecar.metering.UsageRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each usage line as an OpenTelemetry log record (event {@value #EVENT_NAME}): each of its fields as
 * an attribute of the same name ({@code tokens.input} for nested ones), and what a usage-billing
 * system keys on under {@code billing.*}. The usage line owns the field names; an event can never
 * disagree with it. No body: the semantic conventions put an event's content in its attributes, and
 * the line again as a body would double what each event costs to build and send. In the request's
 * trace and span.
 */
final class UsageEvents {
    static final String EVENT_NAME = "tollgate.usage";
    static final AttributeKey<String> CUSTOMER = AttributeKey.stringKey("billing.customer_id");
    static final AttributeKey<String> IDEMPOTENCY_KEY = AttributeKey.stringKey("billing.idempotency_key");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("billing.quantity.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("billing.quantity.output_tokens");
    static final AttributeKey<Long> COST_MICROS = AttributeKey.longKey("billing.quantity.cost_micros_usd");
    // The line's field names are a fixed set: each key is made once.
    private static final Map<String, AttributeKey<String>> TEXT_KEYS = new ConcurrentHashMap<>();
    private static final Map<String, AttributeKey<Long>> NUMBER_KEYS = new ConcurrentHashMap<>();
    private static final Map<String, AttributeKey<Boolean>> FLAG_KEYS = new ConcurrentHashMap<>();

    private final Logger logger;

    UsageEvents(Logger logger) {
        this.logger = logger;
    }

    void emit(UsageRecord record, SpanContext span) {
        LogRecordBuilder event = logger.logRecordBuilder()
                .setEventName(EVENT_NAME)
                .setContext(Context.root().with(Span.wrap(span)))
                .setTimestamp(record.time().getEpochSecond() * 1_000_000_000L + record.time().getNano(), TimeUnit.NANOSECONDS)
                .setSeverity(Severity.INFO);
        UsageLine.write(record, new Attributes(event));
        if (record.user() != null) {
            event.setAttribute(CUSTOMER, record.user());
        }
        if (record.requestId() != null) {
            event.setAttribute(IDEMPOTENCY_KEY, record.requestId());
        }
        event.setAttribute(INPUT_TOKENS, record.tokens().totalInput());
        event.setAttribute(OUTPUT_TOKENS, record.tokens().totalOutput());
        event.setAttribute(COST_MICROS, record.costMicros());
        event.emit();
    }

    /** Each field of the line as an attribute of its name, a group's as {@code group.name}. */
    private static final class Attributes implements UsageFields {
        private final LogRecordBuilder event;
        private String prefix = "";

        Attributes(LogRecordBuilder event) {
            this.event = event;
        }

        @Override
        public void text(String name, String value) {
            event.setAttribute(TEXT_KEYS.computeIfAbsent(named(name), AttributeKey::stringKey), value);
        }

        @Override
        public void number(String name, long value) {
            event.setAttribute(NUMBER_KEYS.computeIfAbsent(named(name), AttributeKey::longKey), value);
        }

        @Override
        public void flag(String name, boolean value) {
            event.setAttribute(FLAG_KEYS.computeIfAbsent(named(name), AttributeKey::booleanKey), value);
        }

        private String named(String name) {
            return prefix.isEmpty() ? name : prefix + name;
        }

        @Override
        public void startGroup(String name) {
            prefix = name + ".";
        }

        @Override
        public void endGroup() {
            prefix = "";
        }
    }
}
