package dev.tollgate.sidecar.telemetry;

import dev.tollgate.sidecar.metering.Money;
import dev.tollgate.sidecar.metering.UsageRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link RequestTrace} on the SDK: the server span, attempts as its client children, the usage event. */
final class SpanTrace implements RequestTrace {
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final UsageEvents events; // null: usage events off
    private final String operation;
    private final Span span;
    private final Context context;
    private Span attempt; // guarded by this

    SpanTrace(Tracer tracer, TextMapPropagator propagator, UsageEvents events, Context parent, String operation,
              String requestId) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.events = events;
        this.operation = operation;
        // Attributes only on a span that is recorded: most are not, at a low sampling ratio or with events alone.
        this.span = tracer.spanBuilder(operation).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
        if (span.isRecording()) {
            span.setAttribute(GenAi.OPERATION, operation);
            span.setAttribute(GenAi.REQUEST_ID, requestId);
        }
        this.context = parent.with(span);
    }

    @Override
    public Map<String, String> attemptStarted(String providerType, String provider, String upstreamModel) {
        Span started = tracer.spanBuilder(operation).setParent(context).setSpanKind(SpanKind.CLIENT).startSpan();
        if (started.isRecording()) {
            started.updateName(operation + " " + upstreamModel);
            started.setAttribute(GenAi.OPERATION, operation);
            started.setAttribute(GenAi.PROVIDER, GenAi.providerName(providerType));
            started.setAttribute(GenAi.REQUEST_MODEL, upstreamModel);
            started.setAttribute(GenAi.PROVIDER_SECRET, provider);
        }
        Span previous;
        synchronized (this) {
            previous = attempt;
            attempt = started;
        }
        if (previous != null) {
            previous.end(); // not reported as ended: the request moved on without it
        }
        Map<String, String> headers = new HashMap<>(4);
        propagator.inject(context.with(started), headers, (carrier, key, value) -> carrier.put(key, value));
        return headers;
    }

    @Override
    public void attemptEnded(String result, boolean succeeded) {
        Span ended;
        synchronized (this) {
            ended = attempt;
            attempt = null;
        }
        if (ended == null) {
            return;
        }
        ended.setAttribute(GenAi.ATTEMPT_RESULT, result);
        if (!succeeded) {
            ended.setAttribute(GenAi.ERROR_TYPE, result);
            ended.setStatus(StatusCode.ERROR);
        }
        ended.end();
    }

    @Override
    public void finish(UsageRecord r, String responseModel, List<String> finishReasons) {
        attemptEnded("abandoned", false);
        if (span.isRecording()) {
            describe(r, responseModel);
            if (!finishReasons.isEmpty()) {
                span.setAttribute(GenAi.FINISH_REASONS, finishReasons);
            }
        }
        span.end();
        if (events != null) {
            events.emit(r, span.getSpanContext());
        }
    }

    /** What the usage line says, as the span's attributes: only for a span that is recorded (sampled). */
    private void describe(UsageRecord r, String responseModel) {
        if (r.model() != null) {
            span.updateName(operation + " " + r.model());
            span.setAttribute(GenAi.REQUEST_MODEL, r.model());
        }
        if (r.providerType() != null) {
            span.setAttribute(GenAi.PROVIDER, GenAi.providerName(r.providerType()));
        }
        set(GenAi.RESPONSE_MODEL, responseModel);
        set(GenAi.ROUTE, r.route());
        set(GenAi.PROVIDER_SECRET, r.provider());
        set(GenAi.UPSTREAM_MODEL, r.upstreamModel());
        set(GenAi.SPEND_KEY, r.spendKey());
        set(GenAi.FEATURE, r.feature());
        set(GenAi.END_USER, r.user());
        span.setAttribute(GenAi.INPUT_TOKENS, r.tokens().totalInput());
        span.setAttribute(GenAi.OUTPUT_TOKENS, r.tokens().totalOutput());
        span.setAttribute(GenAi.CACHE_READ_TOKENS, r.tokens().cachedInput());
        span.setAttribute(GenAi.CACHE_CREATION_TOKENS, r.tokens().cacheWrite());
        span.setAttribute(GenAi.REASONING_TOKENS, r.tokens().reasoning());
        span.setAttribute(GenAi.COST_USD, Money.formatUsdExact(r.costMicros()));
        span.setAttribute(GenAi.COST_MICROS, r.costMicros());
        span.setAttribute(GenAi.PRICED, r.priced());
        span.setAttribute(GenAi.ATTEMPTS, (long) r.attempts());
        span.setAttribute(GenAi.STREAMED, r.streamed());
        span.setAttribute(GenAi.HTTP_STATUS, (long) r.status());
        if (r.ttftMs() != null) {
            span.setAttribute(GenAi.TIME_TO_FIRST_TOKEN, r.ttftMs() / 1000.0);
        }
        if (r.error() != null) {
            span.setAttribute(GenAi.ERROR_TYPE, r.error());
            span.setStatus(StatusCode.ERROR);
        }
    }

    private void set(io.opentelemetry.api.common.AttributeKey<String> key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }
}
