package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSourceChannel;

/**
 * Reads a request's whole body on the IO thread without blocking it, within the sidecar-wide
 * {@link BodyMemoryBudget}, then hands it to the next handler as the {@link #BODY} attachment
 * (the request channel holds nothing more).
 * A body of known length reserves all of it before the first byte is read (and before a
 * {@code 100 Continue} invites it); a chunked one reserves as it grows. Past the budget: 503
 * {@code overloaded} with {@code Retry-After}; past the size limit: 413; a body that does not
 * arrive within its timeout: 408 and the connection closed. The reservation returns just before
 * the answer's last bytes leave ({@link AnswerLeaving}), or when the exchange ends.
 */
public final class BodyReadingHandler implements HttpHandler {
    /** The complete request body, for the handler that follows. */
    public static final AttachmentKey<byte[]> BODY = AttachmentKey.create(byte[].class);
    static final String RETRY_AFTER_SECONDS = "1";
    /** First capacity of a body of unknown length; it doubles as the bytes arrive. */
    private static final int FIRST_CAPACITY = 16 * 1024;

    private final HttpHandler next;
    private final BodyMemoryBudget budget;
    private final long maxBodyBytes;
    private final int timeoutMs;
    private final ErrorFormat errors;
    private final GatewayMetrics metrics;

    BodyReadingHandler(HttpHandler next, BodyMemoryBudget budget, long maxBodyBytes, int timeoutMs, ErrorFormat errors,
                       GatewayMetrics metrics) {
        this.next = next;
        this.budget = budget;
        this.maxBodyBytes = maxBodyBytes;
        this.timeoutMs = timeoutMs;
        this.errors = errors;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        // Dispatched to the same IO thread: the exchange stays open while the body arrives.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> new BodyRead(exchange).start());
    }

    /** One request's body on its way in; used on the connection's IO thread only, until handed on. */
    private final class BodyRead implements ChannelListener<StreamSourceChannel> {
        private final HttpServerExchange exchange;
        private final long length;
        private StreamSourceChannel channel;
        private XnioExecutor.Key timeout;
        private byte[] body;
        private int size;
        private long reserved;
        /** Set when the answer is already decided: the rest of the body is read and dropped, then this is sent. */
        private ApiError refusal;
        private boolean finished;

        BodyRead(HttpServerExchange exchange) {
            this.exchange = exchange;
            this.length = exchange.getRequestContentLength();
        }

        void start() {
            AnswerLeaving.onLeaving(exchange, this::release);
            if (length > maxBodyBytes) {
                refuse(tooLarge());
                return;
            }
            int capacity = (int) (length >= 0 ? length : Math.min(FIRST_CAPACITY, maxBodyBytes));
            if (!reserve(capacity)) {
                refuse(overloaded());
                return;
            }
            body = new byte[capacity];
            if (exchange.isRequestComplete()) {
                handOn();
                return;
            }
            timeout = exchange.getIoThread().executeAfter(this::timedOut, timeoutMs, TimeUnit.MILLISECONDS);
            channel = exchange.getRequestChannel();
            if (HttpContinue.requiresContinueResponse(exchange)) {
                // The client waits for this before it sends the body; it was reserved above.
                HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                    @Override
                    public void onComplete(HttpServerExchange ex, Sender sender) {
                        handleEvent(channel);
                    }

                    @Override
                    public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                        abandon();
                    }
                });
                return;
            }
            handleEvent(channel);
        }

        /** Reads what has arrived; waits for the channel to be readable again when nothing more has. */
        @Override
        public void handleEvent(StreamSourceChannel ignored) {
            if (finished) {
                return;
            }
            try {
                while (true) {
                    long read = refusal != null ? Channels.drain(channel, Long.MAX_VALUE) : readSome();
                    if (finished) {
                        return;
                    }
                    if (read == -1) {
                        ended();
                        return;
                    }
                    if (read == 0) {
                        channel.getReadSetter().set(this);
                        channel.resumeReads();
                        return;
                    }
                }
            } catch (IOException clientGone) {
                abandon();
            }
        }

        /** Bytes read into the body, growing it (or deciding to refuse) when it is full. */
        private long readSome() throws IOException {
            if (size == body.length) {
                if (length >= 0 || size == maxBodyBytes) {
                    // Read to the body's end, so the request counts as read; past the limit, one more byte is too large.
                    int read = channel.read(ByteBuffer.allocate(1));
                    if (read > 0) {
                        stopKeeping(tooLarge());
                    }
                    return read;
                }
                grow();
                if (refusal != null) {
                    return 1;
                }
            }
            int read = channel.read(ByteBuffer.wrap(body, size, body.length - size));
            size += Math.max(read, 0);
            return read;
        }

        /**
         * Doubles a chunked body's room, up to the limit.
         * The budget counts the room kept; the copy's moment of both arrays is not counted, as an IO
         * thread makes one copy at a time.
         */
        private void grow() {
            int capacity = (int) Math.min(2L * body.length, maxBodyBytes);
            if (!reserve(capacity - body.length)) {
                stopKeeping(overloaded());
                return;
            }
            body = Arrays.copyOf(body, capacity);
        }

        private void ended() {
            if (refusal != null) {
                answer(refusal);
            } else if (length >= 0 && size < length) {
                abandon();
            } else {
                handOn();
            }
        }

        /** The whole body: trimmed to its length, attached, and the next handler runs. */
        private void handOn() {
            stopReading();
            if (size < body.length) {
                int unused = body.length - size;
                body = Arrays.copyOf(body, size);
                release(unused);
            }
            exchange.putAttachment(BODY, body);
            // The channel is free again for the next handler, which may still set its own entity size limit.
            Connectors.resetRequestChannel(exchange);
            Connectors.executeRootHandler(next, exchange);
        }

        /** Known before the body is read: answered at once when no body follows, else after dropping it. */
        private void refuse(ApiError error) {
            if (HttpContinue.requiresContinueResponse(exchange)) {
                // The client waits for "100 Continue" and gets the answer instead; the body it did not send is not awaited.
                exchange.setPersistent(false);
                answer(error);
                return;
            }
            if (exchange.isRequestComplete()) {
                answer(error);
                return;
            }
            if (timeout == null) {
                timeout = exchange.getIoThread().executeAfter(this::timedOut, timeoutMs, TimeUnit.MILLISECONDS);
            }
            channel = exchange.getRequestChannel();
            stopKeeping(error);
            handleEvent(channel);
        }

        /** From now on the body's bytes are dropped as they arrive, and its memory is given back. */
        private void stopKeeping(ApiError error) {
            refusal = error;
            body = null;
            release();
        }

        private void timedOut() {
            if (finished) {
                return;
            }
            timeout = null;
            // The rest of the body will not be read: the connection cannot carry another request.
            exchange.setPersistent(false);
            answer(refusal != null ? refusal : new ApiError(408, "invalid_request_error", "request_timeout",
                    "The request body did not arrive within " + timeoutMs + " ms."));
        }

        private void answer(ApiError error) {
            stopReading();
            release();
            metrics.refused(error.code());
            if (error.status() == 503) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
            }
            errors.send(exchange, error);
        }

        /** The client left or broke the body off: nobody to answer. */
        private void abandon() {
            stopReading();
            release();
            IoUtils.safeClose(exchange.getConnection());
        }

        private void stopReading() {
            finished = true;
            if (timeout != null) {
                timeout.remove();
                timeout = null;
            }
            if (channel != null) {
                channel.getReadSetter().set(null);
                channel.suspendReads();
            }
        }

        private synchronized boolean reserve(long bytes) {
            if (!budget.tryReserve(bytes)) {
                return false;
            }
            reserved += bytes;
            return true;
        }

        private synchronized void release(long bytes) {
            budget.release(bytes);
            reserved -= bytes;
        }

        /** On the IO thread, or once handed on from whichever thread answers. */
        private synchronized void release() {
            budget.release(reserved);
            reserved = 0;
        }
    }

    private ApiError tooLarge() {
        return new ApiError(413, "invalid_request_error", "request_too_large",
                "The request body is too large: the limit is " + maxBodyBytes + " bytes.");
    }

    private static ApiError overloaded() {
        return new ApiError(503, "api_error", "overloaded",
                "The gateway is holding as many request bodies as its memory allows; retry shortly.");
    }
}
