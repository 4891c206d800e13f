package dev.tollgate.sidecar.telemetry;

import dev.tollgate.sidecar.provider.UpstreamTransport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The sidecar's OpenTelemetry export (DESIGN.md, the telemetry section): one tracer on the SDK and the
 * usage events, each exporting through a bounded, dropping queue over OTLP HTTP/protobuf. Off,
 * it builds no SDK object and every request gets {@link RequestTrace#NONE}.
 */
public final class Telemetry implements AutoCloseable {
    private static final String SCOPE = "dev.tollgate.sidecar";
    private static final Telemetry OFF = new Telemetry(null, null, null);
    private static final TextMapGetter<UnaryOperator<String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(UnaryOperator<String> carrier) {
            return List.of(); // the W3C propagator asks for its two headers by name
        }

        @Override
        public String get(UnaryOperator<String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    private final SdkTracerProvider tracers;
    private final Tracer tracer;
    private final TextMapPropagator propagator = W3CTraceContextPropagator.getInstance();
    private final UsageEvents events; // null: usage events off

    private Telemetry(SdkTracerProvider tracers, Tracer tracer, UsageEvents events) {
        this.tracers = tracers;
        this.tracer = tracer;
        this.events = events;
    }

    public static Telemetry off() {
        return OFF;
    }

    /**
     * Starts exporting what {@code settings} names, over {@code transport} (the sidecar's HTTP client).
     * {@code identity} (the pod's namespace, name and workload) joins the resource attributes.
     */
    public static Telemetry start(TelemetrySettings settings, Map<String, String> identity, UpstreamTransport transport,
                                  DropCounter drops) {
        if (!settings.exportsTraces() && !settings.exportsUsageEvents()) {
            return OFF;
        }
        AttributesBuilder resource = Attributes.builder().put(AttributeKey.stringKey("service.name"), settings.serviceName());
        identity.forEach((key, value) -> resource.put(AttributeKey.stringKey(key), value));
        settings.resourceAttributes().forEach((key, value) -> resource.put(AttributeKey.stringKey(key), value));
        Resource res = Resource.create(resource.build());
        Duration timeout = Duration.ofMillis(settings.exportTimeoutMs());
        ComponentLoader sender = OtlpSender.loaderOver(transport);
        // Usage events carry the trace and span ids even when traces are not exported: the tracer then samples nothing.
        var tracerBuilder = SdkTracerProvider.builder().setResource(res)
                .setSampler(settings.exportsTraces()
                        ? Sampler.parentBased(settings.samplerRatio() >= 1 ? Sampler.alwaysOn()
                                : Sampler.traceIdRatioBased(settings.samplerRatio()))
                        : Sampler.alwaysOff());
        if (settings.exportsTraces()) {
            var exporter = OtlpHttpSpanExporter.builder().setEndpoint(settings.tracesEndpoint().toString())
                    .setTimeout(timeout).setComponentLoader(sender);
            settings.headers().forEach(exporter::addHeader);
            tracerBuilder.addSpanProcessor(new QueuedSpanProcessor(exporter.build(), settings, drops));
        }
        UsageEvents events = null;
        if (settings.exportsUsageEvents()) {
            var exporter = OtlpHttpLogRecordExporter.builder().setEndpoint(settings.logsEndpoint().toString())
                    .setTimeout(timeout).setComponentLoader(sender);
            settings.headers().forEach(exporter::addHeader);
            events = new UsageEvents(res, InstrumentationScopeInfo.create(SCOPE), exporter.build(), settings, drops);
        }
        SdkTracerProvider tracers = tracerBuilder.build();
        return new Telemetry(tracers, tracers.get(SCOPE), events);
    }

    public boolean enabled() {
        return tracers != null;
    }

    /**
     * Starts a request's server span in the caller's trace ({@code traceparent}, {@code tracestate}
     * read through {@code header}), or in a new one.
     *
     * @param operation the GenAI operation name ({@code chat}, {@code embeddings})
     */
    public RequestTrace startRequest(UnaryOperator<String> header, String operation, String requestId) {
        if (tracers == null) {
            return RequestTrace.NONE;
        }
        Context parent = propagator.extract(Context.root(), header, HEADERS);
        return new SpanTrace(tracer, propagator, events, parent, operation, requestId);
    }

    /** Exports what is queued (bounded by the export timeout), then stops. */
    @Override
    public void close() {
        if (tracers != null) {
            tracers.shutdown().join(30, TimeUnit.SECONDS);
        }
        if (events != null) {
            events.close();
        }
    }
}
