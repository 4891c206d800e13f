package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.api.ClientRequest;
import dev.tollgate.sidecar.routing.Attempt;
import dev.tollgate.sidecar.routing.AttemptListener;
import dev.tollgate.sidecar.routing.Deadline;
import dev.tollgate.sidecar.routing.FailoverExecutor;
import dev.tollgate.sidecar.routing.Outcome;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.IoUtils;

/**
 * One client API's endpoint (chat completions, messages, embeddings, responses): authenticate →
 * parse → route → reserve budget → call the backends with failover → answer or stream → meter.
 * Runs on the I/O threads and never blocks them: the body is received, the providers called and
 * the answer relayed through callbacks, so a request in flight holds no thread.
 */
final class ApiHandler<R extends ClientRequest> implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());
    static final HttpString REQUEST_ID = new HttpString("x-request-id");
    private static final HttpString FEATURE = new HttpString("x-tollgate-feature");
    private static final HttpString END_USER = new HttpString("x-tollgate-user");

    private final ClientApi<R> api;
    private final Supplier<GatewayState> state;
    private final SpendCheck spend;
    private final FailoverExecutor executor;
    private final RequestMetering metering;
    private final GatewayMetrics metrics;
    private final InflightLimit inflight;

    ApiHandler(ClientApi<R> api, Supplier<GatewayState> state, SpendCheck spend, FailoverExecutor executor,
               RequestMetering metering, GatewayMetrics metrics, InflightLimit inflight) {
        this.api = api;
        this.state = state;
        this.spend = spend;
        this.executor = executor;
        this.metering = metering;
        this.metrics = metrics;
        this.inflight = inflight;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long start = System.nanoTime();
        RequestContext ctx = new RequestContext(start, requestId(exchange),
                exchange.getRequestHeaders().getFirst(FEATURE), exchange.getRequestHeaders().getFirst(END_USER));
        exchange.getResponseHeaders().put(REQUEST_ID, ctx.requestId);
        if (!inflight.tryAcquire()) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
            fail(exchange, ctx, new ApiError(503, "api_error", "overloaded",
                    "The gateway is serving its maximum of " + inflight.max() + " concurrent requests; retry shortly."));
            return;
        }
        metrics.requestStarted();
        AnswerLeaving.onLeaving(exchange, () -> {
            inflight.release();
            metrics.requestFinished();
        });
        // BodyReadingHandler read the whole body first; dispatched to this same thread, the exchange stays open
        // for the callbacks that serve it.
        byte[] body = exchange.getAttachment(BodyReadingHandler.BODY);
        ctx.clientLeft = ClientDisconnect.watch(exchange);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> process(exchange, ctx, body));
    }

    private void process(HttpServerExchange exchange, RequestContext ctx, byte[] body) {
        GatewayState current = state.get();
        try {
            ctx.spendKey = spend.authenticate(exchange);
            R request = api.parser().apply(body, exchange.getRequestHeaders());
            ctx.request = request;
            if (ctx.user == null) {
                ctx.user = ctx.request.user();
            }
            ctx.route = current.routes().resolve(request.model()).orElseThrow(() -> new ApiError(404,
                    "invalid_request_error", "model_not_found", "The model '" + request.model()
                    + "' does not exist or is not routed for this workload."));
            OutputLimit.check(request, ctx.route, current.prices());
            if (ctx.spendKey == null && ctx.route.requireSpendKey()) {
                throw new ApiError(401, "authentication_error", "spend_key_required", "Route '" + ctx.route.name()
                        + "' requires a spend key: send it as 'Authorization: Bearer tg_...'.");
            }
            CompletableFuture<Void> admitted = ctx.spendKey == null ? CompletableFuture.completedFuture(null)
                    : spend.admit(ctx, current);
            Deadline deadline = Deadline.in(ctx.route.timeouts().requestMs());
            admitted.thenCompose(ok -> executor.execute(request, api.selector(), ctx.route, current.providers()::get,
                            deadline, ctx.clientLeft, listener(ctx)))
                    .whenComplete((outcome, failure) -> {
                        try {
                            if (outcome instanceof Outcome.Abandoned || failure != null && ctx.clientLeft.isDone()) {
                                abandoned(exchange, ctx, current, outcome instanceof Outcome.Abandoned a ? a : null);
                                return;
                            }
                            if (failure != null) {
                                throw failure instanceof CompletionException && failure.getCause() != null
                                        ? failure.getCause() : failure;
                            }
                            answer(exchange, ctx, current, outcome, deadline);
                        } catch (Throwable t) {
                            failInside(exchange, ctx, t);
                        }
                    });
        } catch (RuntimeException e) {
            failInside(exchange, ctx, e);
        }
    }

    private void answer(HttpServerExchange exchange, RequestContext ctx, GatewayState current, Outcome outcome,
                        Deadline deadline) {
        if (outcome instanceof Outcome.Answered answered) {
            // Settled and on the books before the answer leaves: a client that saw its answer sees its spend too.
            metering.served(ctx, current, new RequestMetering.Served(answered.attempt(), answered.answer().usage(),
                    answered.answer().outputText(), answered.answer().responseModel(), 200, false, null,
                    answered.upstreamNanos(), answered.attempts(), null)).whenComplete((written, failure) -> onIoThread(exchange, () -> {
                        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                        exchange.getResponseSender().send(ByteBuffer.wrap(answered.answer().clientBody()));
                    }));
        } else if (outcome instanceof Outcome.StreamStarted started) {
            new StreamRelay(exchange, ctx, current, started, api.errors(), metering, metrics).start(deadline);
        } else {
            Outcome.Failed failed = (Outcome.Failed) outcome;
            ApiError error = FailedOutcomeErrors.of(failed, ctx.routeName(), api.path());
            metering.failed(ctx, error, failed.last(), failed.attempts())
                    .whenComplete((written, failure) -> onIoThread(exchange, () -> api.errors().send(exchange, error)));
        }
    }

    /**
     * The client left before its answer: nobody to answer. An attempt in flight had the prompt sent, so it is
     * billed as a cut answer with nothing seen (the prompt's estimate); a request that left while it waited
     * (for budget, or between attempts) costs nothing. The connection closes once the line is written.
     */
    private void abandoned(HttpServerExchange exchange, RequestContext ctx, GatewayState current, Outcome.Abandoned outcome) {
        CompletionStage<Void> metered;
        if (outcome != null && outcome.inFlight() != null) {
            metered = metering.served(ctx, current, new RequestMetering.Served(outcome.inFlight(), null, "", null,
                    ClientDisconnect.STATUS, false, null, outcome.upstreamNanos(), outcome.attempts(), ClientDisconnect.CODE));
        } else {
            metered = metering.failed(ctx, new ApiError(ClientDisconnect.STATUS, "api_error", ClientDisconnect.CODE,
                    "The client closed its connection before the answer."), outcome == null ? null : outcome.last(),
                    outcome == null ? 0 : outcome.attempts());
        }
        metered.whenComplete((written, failure) -> onIoThread(exchange, () -> IoUtils.safeClose(exchange.getConnection())));
    }

    /** A client error answers as itself; anything else is a bug of the gateway, logged with the request id. */
    private void failInside(HttpServerExchange exchange, RequestContext ctx, Throwable t) {
        if (t instanceof ApiError error) {
            fail(exchange, ctx, error);
            return;
        }
        LOG.log(Level.SEVERE, "request " + ctx.requestId + " failed inside the gateway", t);
        fail(exchange, ctx, new ApiError(500, "api_error", "internal_error",
                "The gateway failed to handle this request (request id " + ctx.requestId + ")."));
    }

    /** The reservation is returned before the error leaves, so a client's retry finds its budget. */
    private void fail(HttpServerExchange exchange, RequestContext ctx, ApiError error) {
        // Dispatched: the error leaves once its usage line is written, maybe after the handler returned.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> metering.failed(ctx, error, null, 0)
                .whenComplete((written, failure) -> onIoThread(exchange, () -> api.errors().send(exchange, error))));
    }

    /**
     * The answer leaves from the exchange's own I/O thread (the usage line's stage may complete on the log's); the
     * body's memory and the in-flight slot return just before, so a client that has its answer finds them free.
     */
    private static void onIoThread(HttpServerExchange exchange, Runnable send) {
        Runnable leave = () -> {
            AnswerLeaving.now(exchange);
            send.run();
        };
        if (exchange.getIoThread() == Thread.currentThread()) {
            leave.run();
        } else {
            exchange.getIoThread().execute(leave);
        }
    }

    private AttemptListener listener(RequestContext ctx) {
        return new AttemptListener() {
            @Override
            public void attempted(Attempt attempt, String result) {
                metrics.attempt(ctx.routeName(), attempt.upstreamModel(), attempt.provider().id(),
                        attempt.provider().type(), result);
            }

            @Override
            public void failedOver(Attempt from) {
                metrics.failover(ctx.routeName(), ctx.model());
            }
        };
    }


    private static String requestId(HttpServerExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst(REQUEST_ID);
        if (given != null && !given.isEmpty() && given.length() <= 128) {
            return given;
        }
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
}
