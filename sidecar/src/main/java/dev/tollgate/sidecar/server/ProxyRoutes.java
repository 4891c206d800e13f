package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.control.ConfigStatus;
import dev.tollgate.sidecar.metering.UsageSink;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import dev.tollgate.sidecar.routing.CircuitBreakers;
import dev.tollgate.sidecar.routing.FailoverExecutor;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import dev.tollgate.sidecar.telemetry.Telemetry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.util.function.Supplier;

/** The HTTP surface: which path and method go to which handler, on the proxy and the admin port. */
public final class ProxyRoutes {
    private final HttpHandler chat;
    private final HttpHandler messages;
    private final HttpHandler embeddings;
    private final HttpHandler responses;
    private final HttpHandler models;
    private final HttpHandler admin;

    public ProxyRoutes(SidecarSettings settings, Supplier<GatewayState> state, SpendKeyRegistry keys,
                       CircuitBreakers breakers, GatewayMetrics metrics, UsageSink usage, Telemetry telemetry,
                       Supplier<ConfigStatus> status) {
        SpendCheck spend = new SpendCheck(keys, settings.defaultSpendKey(), metrics);
        RequestMetering metering = new RequestMetering(settings, metrics, usage);
        FailoverExecutor executor = new FailoverExecutor(breakers);
        InflightLimit inflight = new InflightLimit(settings.maxConcurrentRequests());
        BodyMemoryBudget bodies = new BodyMemoryBudget(settings.bodyMemoryBytes());
        metrics.bodyBytes(bodies::held);
        this.chat = bodyFirst(ClientApi.CHAT, settings, bodies, metrics,
                new ApiHandler<>(ClientApi.CHAT, state, spend, executor, metering, telemetry, metrics, inflight));
        this.messages = bodyFirst(ClientApi.MESSAGES, settings, bodies, metrics,
                new ApiHandler<>(ClientApi.MESSAGES, state, spend, executor, metering, telemetry, metrics, inflight));
        this.embeddings = bodyFirst(ClientApi.EMBEDDINGS, settings, bodies, metrics,
                new ApiHandler<>(ClientApi.EMBEDDINGS, state, spend, executor, metering, telemetry, metrics, inflight));
        this.responses = bodyFirst(ClientApi.RESPONSES, settings, bodies, metrics,
                new ApiHandler<>(ClientApi.RESPONSES, state, spend, executor, metering, telemetry, metrics, inflight));
        this.models = new ModelsHandler(state, spend);
        this.admin = new AdminHandler(metrics, breakers, status);
    }

    /** The body is read, within the memory all bodies share, before the API's handler sees the request. */
    private static HttpHandler bodyFirst(ClientApi<?> api, SidecarSettings settings, BodyMemoryBudget bodies,
                                         GatewayMetrics metrics, HttpHandler handler) {
        return new BodyReadingHandler(handler, bodies, settings.maxBodyBytes(), settings.clientTimeouts().bodyMs(),
                api.errors(), metrics);
    }

    public HttpHandler proxy() {
        return this::routeProxy;
    }

    public HttpHandler admin() {
        return admin;
    }

    private void routeProxy(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        boolean post = exchange.getRequestMethod().equals(Methods.POST);
        boolean get = exchange.getRequestMethod().equals(Methods.GET);
        HttpHandler api = apiFor(path);
        if (api != null) {
            if (post) {
                api.handleRequest(exchange);
                return;
            }
        } else if (path.equals("/v1/models") || path.equals("/models")) {
            if (get) {
                models.handleRequest(exchange);
                return;
            }
        } else {
            ErrorFormat.OPENAI.send(exchange, new ApiError(404, "invalid_request_error", "unknown_url",
                    "Unknown request URL: " + exchange.getRequestMethod() + " " + path + "."));
            return;
        }
        ErrorFormat.OPENAI.send(exchange, new ApiError(405, "invalid_request_error", "method_not_allowed",
                "Method " + exchange.getRequestMethod() + " is not allowed on " + path + "."));
    }

    /** The POST endpoints, with and without the /v1 prefix (SDKs differ in where they put it). */
    private HttpHandler apiFor(String path) {
        String p = path.startsWith("/v1/") ? path.substring(3) : path;
        return switch (p) {
            case "/chat/completions" -> chat;
            case "/messages" -> messages;
            case "/embeddings" -> embeddings;
            case "/responses" -> responses;
            default -> null;
        };
    }
}
