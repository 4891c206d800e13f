package dev.tollgate.bench;

import io.undertow.Undertow;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * A stand-in for an OpenAI-compatible provider that answers {@code POST /v1/chat/completions}
 * at once with a fixed answer, so the benchmark measures the proxy in front of it, not a model.
 * Streams send their events {@code eventGapMicros} apart: a proxy that buffers then shows a
 * late first byte. Run as its own process: {@code UpstreamEmulator PORT TOKENS EVENT_GAP_MICROS}.
 */
public final class UpstreamEmulator {
    // Matching the two flags in the raw body keeps the emulator free of JSON parsing cost.
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    private static final Pattern INCLUDE_USAGE = Pattern.compile("\"include_usage\"\\s*:\\s*true");
    /** The long streams of the concurrency phase: asked for by model, so nginx and the sidecar pass it on alike. */
    private static final Pattern LONG_STREAM = Pattern.compile("\"model\"\\s*:\\s*\"" + SidecarLauncher.LONG_STREAM_MODEL + "\"");

    private final byte[] completion;
    private final List<byte[]> streamWithUsage;
    private final List<byte[]> streamWithoutUsage;
    private final long eventGapNanos;
    private final List<byte[]> longStream;
    private final long longStreamGapMillis;

    private UpstreamEmulator(int tokens, long eventGapMicros, LongStream shape) {
        completion = ChatReplies.completion(tokens);
        streamWithUsage = ChatReplies.streamEvents(tokens, true);
        streamWithoutUsage = ChatReplies.streamEvents(tokens, false);
        eventGapNanos = eventGapMicros * 1000;
        // Role, tokens and finish make the chunks; the usage event and [DONE] follow.
        longStream = ChatReplies.streamEvents(shape.chunks() - 2, true);
        longStreamGapMillis = shape.gapMillis();
    }

    /** The concurrency phase's streams: {@code chunks} chat chunks {@code gapMillis} apart. */
    record LongStream(int chunks, long gapMillis) {
    }

    /**
     * Runs the emulator in its own JVM, on this JVM's class path, so its CPU is not the load
     * generator's. A young generation this large collects rarely, so the emulator's GC pauses
     * hardly reach the tail latencies of any target.
     */
    static ChildProcess startProcess(Path workDir, int port, int tokens, long eventGapMicros, LongStream longStream)
            throws IOException, InterruptedException {
        ChildProcess emulator = ChildProcess.start("upstream-emulator", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xms512m", "-Xmx512m", "-Xmn448m", "-cp", System.getProperty("java.class.path"),
                UpstreamEmulator.class.getName(), Integer.toString(port), Integer.toString(tokens),
                Long.toString(eventGapMicros), Integer.toString(longStream.chunks()), Long.toString(longStream.gapMillis())),
                workDir);
        try {
            emulator.awaitReady(port, null, Duration.ofSeconds(30));
            return emulator;
        } catch (IOException | InterruptedException e) {
            emulator.stop();
            throw e;
        }
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: UpstreamEmulator PORT TOKENS EVENT_GAP_MICROS LONG_STREAM_CHUNKS LONG_STREAM_GAP_MILLIS");
            System.exit(2);
        }
        UpstreamEmulator emulator = new UpstreamEmulator(Integer.parseInt(args[1]), Long.parseLong(args[2]),
                new LongStream(Integer.parseInt(args[3]), Long.parseLong(args[4])));
        Undertow server = Undertow.builder()
                .addHttpListener(Integer.parseInt(args[0]), "127.0.0.1")
                .setIoThreads(2)
                .setWorkerThreads(32)
                .setHandler(emulator::handle)
                .build();
        server.start();
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        System.out.println("upstream emulator listening on 127.0.0.1:" + address.getPort());
    }

    private void handle(HttpServerExchange exchange) {
        if (!Methods.POST.equals(exchange.getRequestMethod())
                || !"/v1/chat/completions".equals(exchange.getRequestPath())) {
            exchange.setStatusCode(404);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(
                    "{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\",\"code\":null}}");
            return;
        }
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            String request = new String(body, StandardCharsets.UTF_8);
            if (LONG_STREAM.matcher(request).find()) {
                ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
                ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
                // Timed on the IO thread, no thread per stream: thousands at once cost the emulator little.
                ex.dispatch(SameThreadExecutor.INSTANCE, () -> sendLongStream(ex, 0));
            } else if (STREAM.matcher(request).find()) {
                List<byte[]> events = INCLUDE_USAGE.matcher(request).find() ? streamWithUsage : streamWithoutUsage;
                // Pausing between events blocks, so it runs on a worker thread, not the IO thread.
                ex.dispatch(() -> stream(ex, events));
            } else {
                ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                ex.getResponseSender().send(ByteBuffer.wrap(completion));
            }
        });
    }

    private void sendLongStream(HttpServerExchange exchange, int event) {
        exchange.getResponseSender().send(ByteBuffer.wrap(longStream.get(event)), new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender sender) {
                if (event + 1 == longStream.size()) {
                    ex.endExchange();
                } else {
                    ex.getIoThread().executeAfter(() -> sendLongStream(ex, event + 1), longStreamGapMillis, TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                ex.endExchange();
            }
        });
    }

    private void stream(HttpServerExchange exchange, List<byte[]> events) {
        exchange.startBlocking();
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        try (OutputStream out = exchange.getOutputStream()) {
            for (int i = 0; i < events.size(); i++) {
                if (i > 0 && eventGapNanos > 0) {
                    LockSupport.parkNanos(eventGapNanos);
                }
                out.write(events.get(i));
                out.flush();
            }
        } catch (IOException e) {
            // The client went away mid-stream; there is no one left to answer.
        }
    }
}
