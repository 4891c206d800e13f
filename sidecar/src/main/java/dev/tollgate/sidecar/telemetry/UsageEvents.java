package dev.tollgate.sidecar.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.metering.UsageLine;
import dev.tollgate.sidecar.metering.UsageRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Each usage line as an OpenTelemetry log record (event {@value #EVENT_NAME}): the line itself as
 * the body, each of its fields as an attribute of the same name ({@code tokens.input} for nested
 * ones), and what a usage-billing system keys on under {@code billing.*}. The usage line owns the
 * field names; an event can never disagree with it. In the request's trace and span.
 */
final class UsageEvents {
    static final String EVENT_NAME = "tollgate.usage";
    static final AttributeKey<String> CUSTOMER = AttributeKey.stringKey("billing.customer_id");
    static final AttributeKey<String> IDEMPOTENCY_KEY = AttributeKey.stringKey("billing.idempotency_key");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("billing.quantity.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("billing.quantity.output_tokens");
    static final AttributeKey<Long> COST_MICROS = AttributeKey.longKey("billing.quantity.cost_micros_usd");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Logger logger;

    UsageEvents(Logger logger) {
        this.logger = logger;
    }

    void emit(UsageRecord record, SpanContext span) {
        byte[] line = UsageLine.toJson(record);
        AttributesBuilder attributes = Attributes.builder();
        try {
            flatten("", JSON.readTree(line), attributes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // our own line always parses
        }
        if (record.user() != null) {
            attributes.put(CUSTOMER, record.user());
        }
        if (record.requestId() != null) {
            attributes.put(IDEMPOTENCY_KEY, record.requestId());
        }
        attributes.put(INPUT_TOKENS, record.tokens().totalInput());
        attributes.put(OUTPUT_TOKENS, record.tokens().totalOutput());
        attributes.put(COST_MICROS, record.costMicros());
        logger.logRecordBuilder()
                .setEventName(EVENT_NAME)
                .setContext(Context.root().with(Span.wrap(span)))
                .setTimestamp(record.time().getEpochSecond() * 1_000_000_000L + record.time().getNano(), TimeUnit.NANOSECONDS)
                .setSeverity(Severity.INFO)
                .setBody(new String(line, 0, line.length - 1, StandardCharsets.UTF_8))
                .setAllAttributes(attributes.build())
                .emit();
    }

    private static void flatten(String prefix, JsonNode node, AttributesBuilder into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(name + ".", value, into);
            } else if (value.isBoolean()) {
                into.put(AttributeKey.booleanKey(name), value.booleanValue());
            } else if (value.isIntegralNumber()) {
                into.put(AttributeKey.longKey(name), value.longValue());
            } else {
                into.put(AttributeKey.stringKey(name), value.asText());
            }
        }
    }
}
