package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.config.ModelPrice;
import dev.tollgate.sidecar.metering.CostCalculator;
import dev.tollgate.sidecar.metering.CutStreamUsage;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.metering.UsageRecord;
import dev.tollgate.sidecar.metering.UsageSink;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import dev.tollgate.sidecar.metrics.RequestOutcome;
import dev.tollgate.sidecar.routing.Attempt;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The end of every request: price the tokens, settle the spend-key reservation, count metrics,
 * write the one usage line, returning once the line is handed to the operating system (so an
 * answer sent after it never lacks its line, whatever happens to this process), and end the
 * request's span with its usage event. An answer that did not complete (a cut stream) is billed by
 * {@link CutStreamUsage}: the provider's last report or the gateway's estimate, whichever is larger.
 */
final class RequestMetering {
    private final SidecarSettings settings;
    private final GatewayMetrics metrics;
    private final UsageSink usageLog;

    RequestMetering(SidecarSettings settings, GatewayMetrics metrics, UsageSink usageLog) {
        this.settings = settings;
        this.metrics = metrics;
        this.usageLog = usageLog;
    }

    /** What one served (or partly served) request produced; {@code finishReasons} as the provider said them. */
    record Served(Attempt attempt, Usage reported, CharSequence outputText, String responseModel,
                  List<String> finishReasons, int status,
                  boolean streamed, Long ttftNanos, long upstreamNanos, int attempts, String error) {
    }

    /** Settles and records; the stage completes once the usage line is written (the answer may leave then). */
    CompletionStage<Void> served(RequestContext ctx, GatewayState state, Served s) {
        boolean complete = s.error() == null && s.reported() != null;
        Usage usage = complete ? s.reported() : CutStreamUsage.bill(s.reported(), estimate(ctx, s.outputText()));
        Optional<ModelPrice> price = state.prices().price(s.attempt().upstreamModel(), ctx.route.pricing());
        long cost = price.map(p -> CostCalculator.costMicros(usage, p)).orElse(0L);
        if (ctx.admission != null) {
            ctx.admission.settle(cost, usage.totalInput(), usage.totalOutput());
            metrics.leaseRemaining(ctx.spendKey);
        }
        long now = System.nanoTime();
        double seconds = (now - ctx.startNanos) / 1e9;
        double overhead = Math.max(0, (now - ctx.startNanos - s.upstreamNanos()) / 1e9);
        String provider = s.attempt().provider().id();
        String providerType = s.attempt().provider().type();
        metrics.record(new RequestOutcome(ctx.routeName(), ctx.model(), s.attempt().upstreamModel(), s.responseModel(),
                provider, providerType, ctx.spendKeyName(), ctx.feature, s.status(), usage, cost, price.isPresent(),
                seconds, s.ttftNanos() == null ? null : s.ttftNanos() / 1e9, overhead));
        UsageRecord line = new UsageRecord(Instant.now(), ctx.requestId, settings.namespace(), settings.pod(), settings.workload(),
                ctx.routeName(), ctx.model(), s.attempt().upstreamModel(), provider, providerType, nullIfEmpty(ctx.spendKeyName()),
                ctx.feature, ctx.user, usage, cost, price.isPresent(), (now - ctx.startNanos) / 1_000_000,
                s.ttftNanos() == null ? null : s.ttftNanos() / 1_000_000, s.attempts(), s.status(), s.streamed(), s.error());
        CompletionStage<Void> written = usageLog.record(line);
        ctx.trace.finish(line, s.responseModel(), s.finishReasons());
        return written;
    }

    /** A request answered with an error and no tokens: nothing is charged, the reservation is returned. */
    CompletionStage<Void> failed(RequestContext ctx, ApiError error, Attempt last, int attempts) {
        if (ctx.admission != null) {
            ctx.admission.cancel();
        }
        long now = System.nanoTime();
        double seconds = (now - ctx.startNanos) / 1e9;
        String upstreamModel = last == null ? "" : last.upstreamModel();
        String provider = last == null ? "" : last.provider().id();
        String providerType = last == null ? "" : last.provider().type();
        metrics.recordFailure(new RequestOutcome(ctx.routeName(), ctx.model(), upstreamModel, null, provider, providerType,
                ctx.spendKeyName(), ctx.feature, error.status(), Usage.NONE, 0, true, seconds, null, seconds));
        UsageRecord line = new UsageRecord(Instant.now(), ctx.requestId, settings.namespace(), settings.pod(), settings.workload(),
                nullIfEmpty(ctx.routeName()), nullIfEmpty(ctx.model()), nullIfEmpty(upstreamModel), nullIfEmpty(provider),
                nullIfEmpty(providerType), nullIfEmpty(ctx.spendKeyName()), ctx.feature, ctx.user, Usage.NONE, 0, true,
                (now - ctx.startNanos) / 1_000_000, null, attempts, error.status(), ctx.request != null && ctx.request.stream(),
                error.code());
        CompletionStage<Void> written = usageLog.record(line);
        ctx.trace.finish(line, null, List.of());
        return written;
    }


    private static Usage estimate(RequestContext ctx, CharSequence outputText) {
        TokenCounter counter = TokenCounter.shared();
        long input = ctx.request.promptTokens(counter);
        long output = outputText == null || outputText.isEmpty() ? 0 : counter.count(outputText.toString());
        return new Usage(input, 0, 0, output, 0);
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
