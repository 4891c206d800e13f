package dev.tollgate.sidecar.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An OpenTelemetry Collector's OTLP/HTTP receiver on 127.0.0.1 (the network edge): decodes the
 * protobuf the exporter sent into the protocol's own messages. It accepts, or answers 503 to
 * everything (a collector refusing), and keeps the raw bodies so a test can search them.
 */
public final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", this::traces);
        server.createContext("/v1/logs", this::logs);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static OtlpReceiver start() {
        try {
            return new OtlpReceiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT names it. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on every export gets 503 and nothing is kept. */
    public OtlpReceiver refuse() {
        refusing = true;
        return this;
    }

    public List<Span> spans() {
        return spans;
    }

    public List<LogRecord> logs() {
        return logs;
    }

    /** Every body received, decoded as UTF-8 (protobuf strings are UTF-8), for searching. */
    public String everything() {
        StringBuilder all = new StringBuilder();
        bodies.forEach(body -> all.append(new String(body, StandardCharsets.UTF_8)).append('\n'));
        return all.toString();
    }

    /** Waits (at most 10 s) until {@code count} spans matching {@code which} arrived. */
    public List<Span> awaitSpans(int count, Predicate<Span> which) {
        return await(spans, count, which);
    }

    public List<LogRecord> awaitLogs(int count) {
        return await(logs, count, log -> true);
    }

    private static <T> List<T> await(List<T> from, int count, Predicate<T> which) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            List<T> matching = new ArrayList<>(from.stream().filter(which).toList());
            if (matching.size() >= count || System.currentTimeMillis() > deadline) {
                return matching;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return matching;
            }
        }
    }

    private void traces(HttpExchange exchange) throws IOException {
        byte[] body = read(exchange);
        if (answerRefusal(exchange)) {
            return;
        }
        bodies.add(body);
        ExportTraceServiceRequest.parseFrom(body).getResourceSpansList().forEach(resource ->
                resource.getScopeSpansList().forEach(scope -> spans.addAll(scope.getSpansList())));
        answer(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
    }

    private void logs(HttpExchange exchange) throws IOException {
        byte[] body = read(exchange);
        if (answerRefusal(exchange)) {
            return;
        }
        bodies.add(body);
        ExportLogsServiceRequest.parseFrom(body).getResourceLogsList().forEach(resource ->
                resource.getScopeLogsList().forEach(scope -> logs.addAll(scope.getLogRecordsList())));
        answer(exchange, ExportLogsServiceResponse.getDefaultInstance().toByteArray());
    }

    private static byte[] read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private boolean answerRefusal(HttpExchange exchange) throws IOException {
        if (!refusing) {
            return false;
        }
        exchange.sendResponseHeaders(503, -1);
        exchange.close();
        return true;
    }

    private static void answer(HttpExchange exchange, byte[] response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, response.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
