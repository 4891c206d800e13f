package dev.tollgate.sidecar.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-test provider on 127.0.0.1 speaking a provider's wire format: it answers scripted replies
 * (JSON, SSE streams, errors, slow or cut answers) in order, and records every request it received.
 */
public final class FakeUpstream implements AutoCloseable {
    private final HttpServer server;
    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private volatile Reply fallback = Reply.json(500, "{\"error\":{\"message\":\"no reply scripted\",\"type\":\"server_error\"}}");
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger brokenStreams = new AtomicInteger();
    private volatile CountDownLatch brokenLatch = new CountDownLatch(1);

    private FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-upstream");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static FakeUpstream start() {
        try {
            return new FakeUpstream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base URL with OpenAI's {@code /v1} prefix. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeUpstream enqueue(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** The reply used once the script is empty. */
    public FakeUpstream always(Reply reply) {
        fallback = reply;
        return this;
    }

    public List<Received> received() {
        return received;
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    /** Streams whose client (the sidecar) hung up before the end. */
    public int brokenStreams() {
        return brokenStreams.get();
    }

    public boolean awaitBrokenStream(long seconds) throws InterruptedException {
        return brokenLatch.await(seconds, TimeUnit.SECONDS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach(headers::put);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
                new String(body, StandardCharsets.UTF_8), exchange.getRemoteAddress().getPort()));
        Reply reply = script.poll();
        if (reply == null) {
            reply = fallback;
        }
        try {
            reply.write(exchange);
        } catch (CutStream cut) {
            // Rethrown without close(): the server drops the connection, no terminating chunk is sent.
            throw cut;
        } catch (IOException e) {
            brokenStreams.incrementAndGet();
            brokenLatch.countDown();
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One request as the provider saw it; {@code clientPort} tells which connection it came on. */
    public record Received(String method, String uri, Map<String, List<String>> headers, String body, int clientPort) {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    /** A scripted answer. */
    public interface Reply {
        void write(HttpExchange exchange) throws IOException;

        static Reply json(int status, String json) {
            return json(status, json, Map.of());
        }

        static Reply json(int status, String json, Map<String, String> headers) {
            return exchange -> {
                headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            };
        }

        /** Raw bytes with a content type, for garbage answers. */
        static Reply raw(int status, String contentType, String text) {
            return exchange -> {
                exchange.getResponseHeaders().add("Content-Type", contentType);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            };
        }

        /**
         * An SSE body sent event by event with a pause between them. With {@code cutAfter} set, the
         * connection is dropped after that many events (no terminating chunk).
         */
        static Reply sse(String sseText, long pauseMs, Integer cutAfter) {
            // Split here, not per request: a long stream's split would delay its first byte.
            String[] events = sseText.strip().split("\n\n");
            return exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < events.length; i++) {
                    if (cutAfter != null && i == cutAfter) {
                        // Drop the connection without the terminating chunk: a cut stream.
                        throw new CutStream();
                    }
                    out.write((events[i] + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (pauseMs > 0) {
                        sleep(pauseMs);
                    }
                }
            };
        }

        /** A binary body (e.g. AWS event-stream frames) written and flushed piece by piece. */
        static Reply binary(String contentType, List<byte[]> pieces) {
            return exchange -> {
                exchange.getResponseHeaders().add("Content-Type", contentType);
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (byte[] piece : pieces) {
                    out.write(piece);
                    out.flush();
                }
            };
        }

        static Reply sse(String sseText) {
            return sse(sseText, 0, null);
        }

        /** Waits before answering at all (no status line, no byte). */
        static Reply delayed(long millis, Reply then) {
            return exchange -> {
                sleep(millis);
                then.write(exchange);
            };
        }

        private static void sleep(long millis) throws IOException {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** Thrown by a reply to drop the connection mid-body. */
    static final class CutStream extends RuntimeException {
        CutStream() {
            super("stream cut on purpose", null, false, false);
        }
    }
}
