package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import dev.tollgate.sidecar.routing.Deadline;
import dev.tollgate.sidecar.routing.Outcome;
import dev.tollgate.sidecar.routing.StartedStream;
import dev.tollgate.sidecar.timing.Watchdog;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Relays one started stream to its client without ever blocking a thread: bytes are written as far
 * as the client's connection takes them; past {@value #PAUSE_AT_BYTES} bytes waiting, the provider
 * is paused until the client caught up (so a slow client holds a bounded amount of memory). A stream
 * the provider cuts ends with an error event and never with [DONE]; a provider silent for the idle
 * timeout, or still streaming at the request timeout, is cut the same way; a client that left, or
 * still not reading at the request timeout, cancels the provider. Every way ends metered, once; a
 * complete stream's terminal event (its usage, [DONE]) leaves only once the usage line is written, so a
 * client never holds a complete answer the books lack.
 */
final class StreamRelay implements StartedStream.Reader {
    /** Bytes waiting for the client beyond which the provider is no longer read. */
    static final int PAUSE_AT_BYTES = 64 * 1024;
    /**
     * Bytes waiting beyond which the client is cut loose: a safety net. A paused provider's socket is no longer
     * read, so a stream stops within one read past {@link #PAUSE_AT_BYTES}.
     */
    static final int MAX_WAITING_BYTES = 8 * 1024 * 1024;

    private final HttpServerExchange exchange;
    private final RequestContext ctx;
    private final GatewayState state;
    private final Outcome.StreamStarted started;
    private final StartedStream stream;
    private final ErrorFormat errors;
    private final RequestMetering metering;
    private final GatewayMetrics metrics;
    private final long idleMs;
    private final long ttftNanos;
    private final long relayStartNanos = System.nanoTime();
    private StreamSinkChannel channel;
    // Guarded by this.
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private boolean paused;
    private boolean closing;
    private boolean over;
    private int status = 200;
    private String error;
    private Watchdog.Alarm requestAlarm;
    private Watchdog.Alarm idleAlarm;
    private CompletionStage<Void> metered;

    StreamRelay(HttpServerExchange exchange, RequestContext ctx, GatewayState state, Outcome.StreamStarted started,
                ErrorFormat errors, RequestMetering metering, GatewayMetrics metrics) {
        this.exchange = exchange;
        this.ctx = ctx;
        this.state = state;
        this.started = started;
        this.stream = started.stream();
        this.errors = errors;
        this.metering = metering;
        this.metrics = metrics;
        this.idleMs = ctx.route.timeouts().idleMs();
        this.ttftNanos = relayStartNanos - ctx.startNanos;
    }

    /** Sends the head and the bytes already translated, then the rest as the provider sends it. */
    void start(Deadline deadline) {
        synchronized (this) {
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
            channel = exchange.getResponseChannel();
            channel.getWriteSetter().set(written -> writable());
            requestAlarm = Watchdog.arm(Math.max(1, deadline.remainingMillis()), this::requestTimedOut);
            idleAlarm = Watchdog.arm(idleMs, this::idleCheck);
        }
        // Outside this lock: the stream calls in holding its own, then takes this one.
        stream.relayTo(this);
        ctx.clientLeft.thenRun(this::clientLeft);
    }

    /** Noticed while the provider is silent (thinking, or paused for this client): no need to wait for a write to fail. */
    private synchronized void clientLeft() {
        clientGone();
    }

    @Override
    public synchronized void onBytes(byte[] sse) {
        if (over || closing) {
            return;
        }
        enqueue(sse);
        flush();
        if (!over && pendingBytes > MAX_WAITING_BYTES) {
            clientGone();
            return;
        }
        if (!over && pendingBytes >= PAUSE_AT_BYTES && !paused) {
            paused = true;
            stream.pause();
        }
    }

    @Override
    public synchronized void onEnd(List<byte[]> terminal, Exception broken) {
        if (over || closing) {
            return;
        }
        if (!stream.finished()) {
            end(502, "upstream_stream_cut", broken == null ? "The provider's stream ended before the answer was complete."
                    : "The provider's stream broke before the answer was complete.");
            return;
        }
        closing = true;
        meter().whenComplete((written, failure) -> sendTerminal(terminal));
    }

    private synchronized void sendTerminal(List<byte[]> terminal) {
        if (over) {
            return; // the client left meanwhile
        }
        AnswerLeaving.now(exchange);
        terminal.forEach(this::enqueue);
        if (flush()) {
            finishWrites();
        }
    }

    private void enqueue(byte[] sse) {
        pending.add(ByteBuffer.wrap(sse));
        pendingBytes += sse.length;
        metrics.streamBuffered(sse.length);
    }

    /** Writes what the client takes now; true when nothing is left waiting. */
    private boolean flush() {
        try {
            while (!pending.isEmpty()) {
                ByteBuffer next = pending.peek();
                int n = channel.write(next);
                pendingBytes -= n;
                metrics.streamBuffered(-n);
                if (next.hasRemaining()) {
                    channel.resumeWrites();
                    return false;
                }
                pending.poll();
            }
            if (!channel.flush()) {
                channel.resumeWrites();
                return false;
            }
            return true;
        } catch (IOException gone) {
            clientGone();
            return false;
        }
    }

    /** The client's connection takes bytes again (an I/O thread). */
    private synchronized void writable() {
        if (over) {
            channel.suspendWrites();
            return;
        }
        if (!flush()) {
            return;
        }
        channel.suspendWrites();
        if (paused) {
            paused = false;
            stream.resume();
        }
        if (closing) {
            finishWrites();
        }
    }

    /** The stream cannot complete: an error event in the client API's form ends it, and the provider is dropped. */
    private void end(int status, String error, String message) {
        this.status = status;
        this.error = error;
        stream.cancel();
        AnswerLeaving.now(exchange);
        enqueue(errors.sseEvent(new ApiError(status, "api_error", error, message)));
        closing = true;
        if (flush()) {
            finishWrites();
        }
    }

    private void finishWrites() {
        if (over) {
            return;
        }
        over = true;
        meter();
        try {
            channel.shutdownWrites();
            if (!channel.flush()) {
                channel.getWriteSetter().set(ChannelListeners.flushingChannelListener(
                        done -> exchange.endExchange(), (ch, e) -> IoUtils.safeClose(exchange.getConnection())));
                channel.resumeWrites();
                return;
            }
        } catch (IOException gone) {
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        exchange.endExchange();
    }

    private void clientGone() {
        if (over) {
            return;
        }
        status = ClientDisconnect.STATUS;
        error = ClientDisconnect.CODE;
        stream.cancel();
        metrics.streamBuffered(-pendingBytes);
        pendingBytes = 0;
        pending.clear();
        over = true;
        meter();
        IoUtils.safeClose(exchange.getConnection());
    }

    /**
     * At the request timeout a client that still has bytes waiting is not reading: it is cut loose.
     * Otherwise the provider is still streaming: the stream ends with a timeout error.
     */
    private synchronized void requestTimedOut() {
        if (over) {
            return;
        }
        if (pendingBytes > 0) {
            clientGone();
        } else if (!closing) {
            end(504, "upstream_timeout", "The request timeout passed while the provider was still streaming.");
        }
    }

    /** Re-armed for the rest of the idle time while bytes keep coming; a client that paused the provider is not its fault. */
    private synchronized void idleCheck() {
        if (over || closing) {
            return;
        }
        long idleFor = (System.nanoTime() - stream.lastDataNanos()) / 1_000_000;
        if (paused || idleFor < idleMs) {
            idleAlarm = Watchdog.arm(paused ? idleMs : idleMs - idleFor, this::idleCheck);
            return;
        }
        end(504, "upstream_timeout", "The provider sent nothing for " + idleMs + " ms.");
    }

    /** Once per stream, however it ended: the alarms stop and the request is metered. */
    private CompletionStage<Void> meter() {
        if (metered != null) {
            return metered;
        }
        requestAlarm.cancel();
        idleAlarm.cancel();
        long upstreamNanos = started.upstreamNanos() + Math.max(0, stream.lastDataNanos() - relayStartNanos);
        metered = metering.served(ctx, state, new RequestMetering.Served(started.attempt(), stream.usage(),
                stream.outputText(), stream.responseModel(), stream.finishReasons(), status, true, ttftNanos, upstreamNanos,
                started.attempts(), error));
        return metered;
    }
}
