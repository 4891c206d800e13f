package dev.tollgate.operator.runtime;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The operator's plain-HTTP port for the kubelet and Prometheus: {@code /healthz} (the process
 * works), {@code /readyz} (informer caches are synced), {@code /metrics}.
 */
final class HealthServer implements AutoCloseable {
    private final Undertow server;

    /** {@code unhealthy} and {@code notReady} say what is wrong (the 503 body), or null when all is fine. */
    private HealthServer(String host, int port, Supplier<String> unhealthy, Supplier<String> notReady,
            CollectorRegistry registry) {
        server = Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(exchange -> {
                    switch (exchange.getRequestPath()) {
                        case "/healthz" -> probe(exchange, unhealthy.get(), "ok");
                        case "/readyz" -> probe(exchange, notReady.get(), "ready");
                        case "/metrics" -> metrics(exchange, registry);
                        default -> text(exchange, 404, "not found");
                    }
                })
                .build();
        server.start();
    }

    static HealthServer start(String host, int port, Supplier<String> unhealthy, Supplier<String> notReady,
            CollectorRegistry registry) {
        return new HealthServer(host, port, unhealthy, notReady, registry);
    }

    int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
    }

    private static void probe(HttpServerExchange exchange, String problem, String fine) {
        if (problem == null) {
            text(exchange, 200, fine);
        } else {
            text(exchange, 503, problem);
        }
    }

    private static void metrics(HttpServerExchange exchange, CollectorRegistry registry) {
        StringWriter out = new StringWriter(8 * 1024);
        try {
            TextFormat.write004(out, registry.metricFamilySamples());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TextFormat.CONTENT_TYPE_004);
        exchange.getResponseSender().send(out.toString());
    }

    private static void text(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body);
    }
}
