package dev.tollgate.sidecar.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;

/**
 * One usage event as the OTLP log exporter reads it: made whole by {@link UsageEvents}, with no logger,
 * builder or copy in between. An INFO record with no body, named {@value UsageEvents#EVENT_NAME}.
 */
record UsageEvent(Resource resource, InstrumentationScopeInfo scope, long timestampNanos, long observedNanos,
                  SpanContext spanContext, Attributes attributes) implements LogRecordData {

    @Override
    public Resource getResource() {
        return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return scope;
    }

    @Override
    public long getTimestampEpochNanos() {
        return timestampNanos;
    }

    @Override
    public long getObservedTimestampEpochNanos() {
        return observedNanos;
    }

    @Override
    public SpanContext getSpanContext() {
        return spanContext;
    }

    @Override
    public Severity getSeverity() {
        return Severity.INFO;
    }

    @Override
    public String getSeverityText() {
        return null;
    }

    @Override
    @SuppressWarnings("deprecation") // the interface still requires it; getBodyValue is the current form
    public Body getBody() {
        return Body.empty();
    }

    @Override
    public Value<?> getBodyValue() {
        return null;
    }

    @Override
    public Attributes getAttributes() {
        return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
        return attributes.size();
    }

    @Override
    public String getEventName() {
        return UsageEvents.EVENT_NAME;
    }
}
