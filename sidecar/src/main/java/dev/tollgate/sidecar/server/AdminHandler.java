package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.control.ConfigStatus;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import dev.tollgate.sidecar.routing.CircuitBreakers;
import io.prometheus.client.exporter.common.TextFormat;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** The admin port: {@code /metrics} (Prometheus text format), {@code /healthz}, {@code /readyz}. */
final class AdminHandler implements HttpHandler {
    private final GatewayMetrics metrics;
    private final CircuitBreakers breakers;
    private final Supplier<ConfigStatus> status;

    AdminHandler(GatewayMetrics metrics, CircuitBreakers breakers, Supplier<ConfigStatus> status) {
        this.metrics = metrics;
        this.breakers = breakers;
        this.status = status;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        switch (exchange.getRequestPath()) {
            case "/metrics" -> {
                long now = System.currentTimeMillis();
                breakers.forEach((key, breaker) -> metrics.circuit(key.providerId(), key.upstreamModel(), breaker.isOpen(now)));
                metrics.configStatus(status.get());
                StringWriter out = new StringWriter(16 * 1024);
                try {
                    TextFormat.write004(out, metrics.registry().metricFamilySamples());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TextFormat.CONTENT_TYPE_004);
                exchange.getResponseSender().send(out.toString());
            }
            case "/healthz" -> text(exchange, 200, "ok");
            case "/readyz" -> {
                ConfigStatus current = status.get();
                exchange.setStatusCode(current.ready() ? 200 : 503);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseSender().send(current.toJson());
            }
            default -> text(exchange, 404, "not found");
        }
    }

    private static void text(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body);
    }
}
