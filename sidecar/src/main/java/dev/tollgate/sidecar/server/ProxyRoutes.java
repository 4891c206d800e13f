package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.control.ConfigStatus;
import dev.tollgate.sidecar.metering.UsageSink;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import dev.tollgate.sidecar.routing.CircuitBreakers;
import dev.tollgate.sidecar.routing.FailoverExecutor;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.util.function.Supplier;

/** The HTTP surface: which path and method go to which handler, on the proxy and the admin port. */
public final class ProxyRoutes {
    private final HttpHandler chat;
    private final HttpHandler models;
    private final HttpHandler admin;

    public ProxyRoutes(SidecarSettings settings, Supplier<GatewayState> state, SpendKeyRegistry keys,
                       CircuitBreakers breakers, GatewayMetrics metrics, UsageSink usage, Supplier<ConfigStatus> status) {
        SpendCheck spend = new SpendCheck(keys, settings.defaultSpendKey(), metrics);
        RequestMetering metering = new RequestMetering(settings, metrics, usage);
        this.chat = new ChatCompletionsHandler(state, spend, new FailoverExecutor(breakers), metering, metrics,
                settings.maxBodyBytes(), settings.maxConcurrentRequests());
        this.models = new ModelsHandler(state, spend);
        this.admin = new AdminHandler(metrics, breakers, status);
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
        if (path.equals("/v1/chat/completions") || path.equals("/chat/completions")) {
            if (post) {
                chat.handleRequest(exchange);
                return;
            }
        } else if (path.equals("/v1/models") || path.equals("/models")) {
            if (get) {
                models.handleRequest(exchange);
                return;
            }
        } else {
            ErrorResponses.send(exchange, new ApiError(404, "invalid_request_error", "unknown_url",
                    "Unknown request URL: " + exchange.getRequestMethod() + " " + path + "."));
            return;
        }
        ErrorResponses.send(exchange, new ApiError(405, "invalid_request_error", "method_not_allowed",
                "Method " + exchange.getRequestMethod() + " is not allowed on " + path + "."));
    }
}
