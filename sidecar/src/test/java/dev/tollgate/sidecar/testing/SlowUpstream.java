package dev.tollgate.sidecar.testing;

import dev.tollgate.sidecar.config.ProviderConfig;
import io.undertow.Undertow;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.Options;

/**
 * An OpenAI-compatible provider on 127.0.0.1 that streams without a thread per stream (Undertow, its
 * own threads named {@code slow-upstream}): {@code chunks} chat chunks {@code delayMs} apart, each sent
 * once the connection took the one before. It counts what it sent and the streams its client dropped.
 */
public final class SlowUpstream implements AutoCloseable {
    private final Undertow server;
    private final int chunks;
    private final long delayMs;
    private final int contentBytes;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "slow-upstream-timer");
        thread.setDaemon(true);
        return thread;
    });

    public SlowUpstream(int chunks, long delayMs, int contentBytes) {
        this.chunks = chunks;
        this.delayMs = delayMs;
        this.contentBytes = contentBytes;
        this.server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1", this::handle)
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setWorkerOption(Options.WORKER_NAME, "slow-upstream")
                .build();
        server.start();
    }

    public ProviderConfig provider(String id) {
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return new ProviderConfig(id, "openai-compatible", "http://127.0.0.1:" + port + "/v1", Configs.PROVIDER_KEY, null,
                Map.of(), null, null);
    }

    public int requests() {
        return requests.get();
    }

    public int completed() {
        return completed.get();
    }

    /** Streams that ended because the other side closed the connection. */
    public int dropped() {
        return dropped.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    private void handle(HttpServerExchange exchange) {
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> ex.dispatch(SameThreadExecutor.INSTANCE, () -> {
            requests.incrementAndGet();
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
            sendPaced(ex, ex.getResponseSender(), 0);
        }));
    }

    private byte[] chunk(int i) {
        if (i == chunks) {
            return ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + chunks
                    + ",\"total_tokens\":" + (9 + chunks) + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
        }
        String finish = i == chunks - 1 ? "\"stop\"" : "null";
        return ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "w".repeat(contentBytes) + "\"},\"finish_reason\":"
                + finish + "}]}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One chunk, then the next after the delay, on the I/O thread's timer. */
    private void sendPaced(HttpServerExchange exchange, Sender sender, int i) {
        byte[] bytes = chunk(i);
        sender.send(ByteBuffer.wrap(bytes), new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender s) {
                bytesSent.addAndGet(bytes.length);
                if (i == chunks) {
                    completed.incrementAndGet();
                    ex.endExchange();
                    return;
                }
                // A JDK timer: XNIO's own rounds short delays up to tens of milliseconds.
                timer.schedule(() -> ex.getIoThread().execute(() -> sendPaced(ex, s, i + 1)), delayMs, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onException(HttpServerExchange ex, Sender s, IOException e) {
                dropped.incrementAndGet();
                ex.endExchange();
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        server.stop();
    }
}
