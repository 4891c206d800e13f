package dev.tollgate.sidecar.metrics;

import dev.tollgate.sidecar.control.ConfigStatus;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.hotspot.DefaultExports;
import java.util.function.LongSupplier;

/**
 * The sidecar's Prometheus metrics (DESIGN.md section 7). Base units, bounded labels: never end
 * users, never request ids. One registry per sidecar so several can run in one JVM (tests, local mode).
 */
public final class GatewayMetrics {
    private static final double[] SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    private static final double[] OVERHEAD_SECONDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1};
    private static final double[] TOKENS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304};

    private final CollectorRegistry registry = new CollectorRegistry(true);

    final Counter requests = Counter.build("tollgate_requests_total", "Requests answered by the sidecar.")
            .labelNames("route", "model", "upstream_model", "provider", "provider_type", "spend_key", "feature", "status")
            .register(registry);
    final Counter attempts = Counter.build("tollgate_upstream_attempts_total", "Attempts sent to providers, by outcome.")
            .labelNames("route", "upstream_model", "provider", "provider_type", "result")
            .register(registry);
    final Counter failovers = Counter.build("tollgate_failovers_total", "Switches to another backend after a failed attempt.")
            .labelNames("route", "model")
            .register(registry);
    final Counter tokens = Counter.build("tollgate_tokens_total", "Tokens metered, by type.")
            .labelNames("route", "model", "upstream_model", "provider", "provider_type", "spend_key", "feature", "token_type")
            .register(registry);
    final Counter cost = Counter.build("tollgate_cost_usd_total", "Cost of requests in USD.")
            .labelNames("route", "model", "upstream_model", "provider", "provider_type", "spend_key", "feature")
            .register(registry);
    final Counter unpriced = Counter.build("tollgate_unpriced_requests_total", "Requests served for a model with no known price.")
            .labelNames("route", "upstream_model", "provider")
            .register(registry);
    final Histogram duration = Histogram.build("tollgate_request_duration_seconds", "Time from request to last byte.")
            .labelNames("route", "model", "provider", "status").buckets(SECONDS)
            .register(registry);
    final Histogram ttft = Histogram.build("tollgate_time_to_first_token_seconds", "Time to the first streamed chunk.")
            .labelNames("route", "model", "provider").buckets(SECONDS)
            .register(registry);
    final Histogram overhead = Histogram.build("tollgate_gateway_overhead_seconds", "Time spent in the sidecar itself, upstream time excluded.")
            .labelNames("route").buckets(OVERHEAD_SECONDS)
            .register(registry);
    final Gauge inflight = Gauge.build("tollgate_inflight_requests", "Requests being served now.")
            .register(registry);
    final Gauge streamBuffered = Gauge.build("tollgate_stream_buffered_bytes",
                    "Bytes of streamed answers translated but not yet taken by their (slow) clients, all streams.")
            .register(registry);
    final Counter refused = Counter.build("tollgate_requests_refused_total",
                    "Requests answered before their body was read (too large, no memory for it, not sent in time), by code.")
            .labelNames("code")
            .register(registry);
    final Gauge bodyBytes = Gauge.build("tollgate_request_body_bytes", "Bytes of request bodies held in memory now, across all requests.")
            .register(registry);
    final Gauge circuitOpen = Gauge.build("tollgate_circuit_open", "1 while a backend's circuit is open.")
            .labelNames("provider", "upstream_model")
            .register(registry);
    final Counter budgetRejections = Counter.build("tollgate_budget_rejections_total", "Requests refused by a spend key.")
            .labelNames("spend_key", "reason")
            .register(registry);
    final Gauge leaseRemaining = Gauge.build("tollgate_lease_remaining_usd", "Budget this sidecar may still spend, per spend key.")
            .labelNames("spend_key")
            .register(registry);
    final Counter leaseCalls = Counter.build("tollgate_lease_calls_total",
                    "Lease calls to the operator (in-cluster mode): ok, or failed (no usable answer).")
            .labelNames("result")
            .register(registry);
    final Histogram genAiTokens = Histogram.build("gen_ai_client_token_usage", "OpenTelemetry GenAI: tokens used per operation.")
            .labelNames("gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model", "gen_ai_response_model", "gen_ai_token_type")
            .buckets(TOKENS)
            .register(registry);
    final Histogram genAiDuration = Histogram.build("gen_ai_client_operation_duration_seconds", "OpenTelemetry GenAI: operation duration.")
            .labelNames("gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model", "gen_ai_response_model")
            .buckets(SECONDS)
            .register(registry);
    final Counter telemetryDropped = Counter.build("tollgate_telemetry_dropped_total",
                    "Spans and usage events not exported: the queue was full, or the collector down or refusing.")
            .labelNames("signal")
            .register(registry);
    final Gauge controlPlaneConnected = Gauge.build("tollgate_control_plane_connected",
                    "1 while the operator answers this sidecar's calls, 0 while it cannot be reached (or in file mode).")
            .register(registry);
    final Gauge configVersion = Gauge.build("tollgate_config_version", "Version of the configuration being served (in-cluster mode).")
            .register(registry);
    /** A request no route took: its model name is the client's, so it is never a label. */
    static final String UNROUTED = "unrouted";
    private static final int MAX_LABEL_LENGTH = 128;
    final BoundedLabels features = new BoundedLabels(64, MAX_LABEL_LENGTH);
    /** Requested, upstream and response model names: routes with a prefix pattern pass clients' names through. */
    final BoundedLabels models = new BoundedLabels(64, MAX_LABEL_LENGTH);

    public GatewayMetrics() {
        DefaultExports.register(registry);
    }

    public CollectorRegistry registry() {
        return registry;
    }

    public void requestStarted() {
        inflight.inc();
    }

    public void requestFinished() {
        inflight.dec();
    }

    public void streamBuffered(long deltaBytes) {
        streamBuffered.inc(deltaBytes);
    }

    public void attempt(String route, String upstreamModel, String provider, String providerType, String result) {
        attempts.labels(route, models.label(upstreamModel), provider, providerType, result).inc();
    }

    public void failover(String route, String model) {
        failovers.labels(route, models.label(model)).inc();
    }

    /** Reads the bytes held by request bodies at each scrape. */
    public void bodyBytes(LongSupplier held) {
        bodyBytes.setChild(new Gauge.Child() {
            @Override
            public double get() {
                return held.getAsLong();
            }
        });
    }

    /** A request refused while its body was read: it has no route or model yet. */
    public void refused(String code) {
        refused.labels(code).inc();
    }

    /** {@code signal}: a telemetry signal's wire name (traces, usage_events), a closed set. */
    public void telemetryDropped(String signal, long count) {
        telemetryDropped.labels(signal).inc(count);
    }

    public void budgetRejection(String spendKey, String reason) {
        budgetRejections.labels(spendKey, reason).inc();
    }

    /** What the key may still spend here; +Inf for a key without a budget. */
    public void leaseRemaining(dev.tollgate.sidecar.spend.SpendKey key) {
        long remaining = key.remainingMicros();
        leaseRemaining.labels(key.name()).set(remaining == Long.MAX_VALUE
                ? Double.POSITIVE_INFINITY : dev.tollgate.sidecar.metering.Money.toUsdDouble(remaining));
    }

    public void leaseCall(String result) {
        leaseCalls.labels(result).inc();
    }

    /** The control-plane gauges, from where the running configuration came from. */
    public void configStatus(ConfigStatus status) {
        controlPlaneConnected.set(Boolean.TRUE.equals(status.operatorReachable()) ? 1 : 0);
        if (status.numericVersion() != null) {
            configVersion.set(status.numericVersion());
        }
    }

    public void circuit(String provider, String upstreamModel, boolean open) {
        circuitOpen.labels(provider, models.label(upstreamModel)).set(open ? 1 : 0);
    }

    /** Records a request answered with an error before any answer: its count and latencies, no tokens or cost. */
    public void recordFailure(RequestOutcome o) {
        countRequest(o, labels(o));
    }

    /** Records a served (or partly served) request: counts, tokens, cost, latencies. */
    public void record(RequestOutcome o) {
        Labels l = labels(o);
        countRequest(o, l);
        var usage = o.usage();
        countTokens(o, l, "input", usage.input());
        countTokens(o, l, "cached_input", usage.cachedInput());
        countTokens(o, l, "cache_write", usage.cacheWrite());
        countTokens(o, l, "output", usage.output());
        countTokens(o, l, "reasoning", usage.reasoning());
        if (o.priced()) {
            cost.labels(o.route(), l.model, l.upstreamModel, o.provider(), o.providerType(), o.spendKey(), l.feature)
                    .inc(dev.tollgate.sidecar.metering.Money.toUsdDouble(o.costMicros()));
        } else {
            unpriced.labels(o.route(), l.upstreamModel, o.provider()).inc();
        }
        genAiTokens.labels("chat", o.providerType(), l.model, l.responseModel, "input").observe(usage.totalInput());
        genAiTokens.labels("chat", o.providerType(), l.model, l.responseModel, "output").observe(usage.totalOutput());
        genAiDuration.labels("chat", o.providerType(), l.model, l.responseModel).observe(o.durationSeconds());
    }

    /** The label values of one request that come from a client or a provider, each bounded. */
    private record Labels(String model, String upstreamModel, String responseModel, String feature) {
    }

    private Labels labels(RequestOutcome o) {
        boolean routed = !o.route().isEmpty();
        String model = routed ? models.label(o.model()) : o.model().isEmpty() ? "" : UNROUTED;
        String upstreamModel = models.label(o.upstreamModel());
        String responseModel = o.responseModel() == null ? upstreamModel : models.label(o.responseModel());
        return new Labels(model, upstreamModel, responseModel, features.label(o.feature()));
    }

    /** The count and latencies every finished request has. */
    private void countRequest(RequestOutcome o, Labels l) {
        String status = o.status() / 100 + "xx";
        requests.labels(o.route(), l.model, l.upstreamModel, o.provider(), o.providerType(), o.spendKey(), l.feature, status).inc();
        duration.labels(o.route(), l.model, o.provider(), status).observe(o.durationSeconds());
        overhead.labels(o.route()).observe(o.overheadSeconds());
        if (o.ttftSeconds() != null) {
            ttft.labels(o.route(), l.model, o.provider()).observe(o.ttftSeconds());
        }
    }

    private void countTokens(RequestOutcome o, Labels l, String tokenType, long count) {
        if (count > 0) {
            tokens.labels(o.route(), l.model, l.upstreamModel, o.provider(), o.providerType(), o.spendKey(), l.feature, tokenType).inc(count);
        }
    }
}
