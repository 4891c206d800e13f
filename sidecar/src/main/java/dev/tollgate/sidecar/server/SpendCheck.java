package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.metering.CostCalculator;
import dev.tollgate.sidecar.metering.Money;
import dev.tollgate.sidecar.metering.PriceBook;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import dev.tollgate.sidecar.spend.Admission;
import dev.tollgate.sidecar.spend.SpendKey;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import dev.tollgate.sidecar.spend.SpendRejection;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Authenticates a request's spend key and reserves its worst-case cost before anything is sent. */
final class SpendCheck {
    private static final String BEARER = "Bearer ";
    private static final String TOKEN_PREFIX = "tg_";
    private static final HttpString X_API_KEY = new HttpString("x-api-key");

    private final SpendKeyRegistry keys;
    private final String defaultKey;
    private final GatewayMetrics metrics;

    SpendCheck(SpendKeyRegistry keys, String defaultKey, GatewayMetrics metrics) {
        this.keys = keys;
        this.defaultKey = defaultKey;
        this.metrics = metrics;
    }

    /**
     * The request's spend key: a {@code tg_} bearer token, else the pod's default key, else none.
     * Other bearer values (the SDKs insist on sending some key) are ignored and never forwarded.
     */
    SpendKey authenticate(HttpServerExchange exchange) {
        String token = presentedToken(exchange);
        if (token != null && token.startsWith(TOKEN_PREFIX)) {
            return keys.authenticate(token).orElseThrow(() -> new ApiError(401, "authentication_error",
                    "invalid_api_key", "The spend key provided is not valid."));
        }
        return defaultKey == null ? null : keys.byName(defaultKey).orElse(null);
    }

    /**
     * The spend-key token the client presented: the OpenAI SDKs send {@code Authorization: Bearer KEY},
     * the Anthropic SDK {@code x-api-key: KEY}; whichever carries a {@code tg_} token counts.
     */
    private static String presentedToken(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String bearer = header.substring(BEARER.length()).trim();
            if (bearer.startsWith(TOKEN_PREFIX)) {
                return bearer;
            }
        }
        String apiKey = exchange.getRequestHeaders().getFirst(X_API_KEY);
        return apiKey == null ? null : apiKey.trim();
    }

    /**
     * Checks the key's policy and reserves the worst case across the route's backends: every answer asked for
     * ({@code n}) at its most output tokens, the client's limit or else the model's. Completes when admitted (the
     * admission in {@code ctx}), or with the rejection as an {@link ApiError}; a request its lease cannot cover
     * yet waits for the operator's answer without holding a thread, until its client leaves.
     */
    CompletableFuture<Void> admit(RequestContext ctx, GatewayState state) {
        SpendKey key = ctx.spendKey;
        // An upper bound, so a reservation never falls short of what the provider will bill.
        long inputTokens = ctx.request.promptTokens(TokenCounter.upperBound());
        long worstCase = 0;
        PriceBook prices = state.prices();
        for (BackendConfig backend : ctx.route.backends()) {
            String upstream = backend.upstreamModel(ctx.request.model());
            long perAnswer = ctx.request.maxTokens() != null ? ctx.request.maxTokens() : prices.maxOutputTokens(upstream);
            long maxOutput = Money.saturatedMultiply(perAnswer, ctx.request.answers());
            long cost = prices.price(upstream, ctx.route.pricing())
                    .map(p -> CostCalculator.worstCaseMicros(p, inputTokens, maxOutput))
                    .orElse(0L);
            worstCase = Math.max(worstCase, cost);
        }
        CompletableFuture<Admission> waiting = key.admitWaiting(ctx.request.model(), inputTokens, worstCase);
        ctx.clientLeft.thenRun(() -> waiting.cancel(false)); // a client that left waits for nothing
        return waiting.handle((admission, failure) -> {
            metrics.leaseRemaining(key);
            if (failure == null) {
                ctx.admission = admission;
                return null;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof SpendRejection rejection) {
                metrics.budgetRejection(key.name(), rejection.code());
                throw new ApiError(rejection.httpStatus(), rejection.type(), rejection.code(), rejection.getMessage());
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    }
}
