package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.routing.Deadline;
import dev.tollgate.sidecar.routing.Outcome;
import dev.tollgate.sidecar.routing.Watchdog;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.xnio.IoUtils;
import java.io.OutputStream;

/**
 * Relays a started stream to the client event by event. A stream the provider cuts ends with an
 * error event and never with [DONE]; a client that leaves cancels the upstream. Either way the
 * tokens seen so far are metered. The terminal event's bytes (the usage, [DONE]) go out only once
 * the usage line is written, so a client never holds a complete answer the books lack.
 */
final class StreamRelay {
    private static final long DRAIN_MS = 1_000;
    private static final long STALLED_CLIENT_GRACE_MS = 5_000;
    private final RequestMetering metering;
    private final ErrorFormat errors;

    StreamRelay(RequestMetering metering, ErrorFormat errors) {
        this.metering = metering;
        this.errors = errors;
    }

    void relay(HttpServerExchange exchange, RequestContext ctx, GatewayState state, Outcome.StreamStarted started,
               Deadline deadline) {
        long ttftNanos = System.nanoTime() - ctx.startNanos;
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.startBlocking();
        OutputStream out = exchange.getOutputStream();
        ClientSink client = new ClientSink(out, () -> exchange.getConnection().isOpen());
        StreamTranslator translator = started.translator();
        long upstreamNanos = started.upstreamNanos();
        int status = 200;
        String error = null;
        Watchdog.Alarm alarm = Watchdog.arm(Math.max(1, deadline.remainingMillis()), started.exchange()::abort);
        // A client that stops reading blocks the write, which the upstream abort cannot end: shortly
        // after the deadline its connection is closed, so the worker, its slot and its reservation come back.
        Watchdog.Alarm stalledClient = Watchdog.arm(Math.max(1, deadline.remainingMillis()) + STALLED_CLIENT_GRACE_MS,
                () -> IoUtils.safeClose(exchange.getConnection()));
        boolean metered = false;
        try {
            byte[] last = started.firstBytes();
            ByteArrayOutputStream eventBytes = new ByteArrayOutputStream();
            while (!translator.finished()) {
                if (last.length > 0) {
                    client.send(last);
                }
                long t = System.nanoTime();
                SseEvent event = started.reader().next();
                upstreamNanos += System.nanoTime() - t;
                if (event == null) {
                    last = null;
                    break;
                }
                eventBytes.reset();
                translator.onEvent(event, eventBytes::writeBytes);
                last = eventBytes.toByteArray();
            }
            if (translator.finished()) {
                metering.served(ctx, state, served(started, translator, 200, null, ttftNanos, upstreamNanos));
                metered = true;
                client.send(last);
            } else {
                status = 502;
                error = "upstream_stream_cut";
                client.send(errors.sseEvent(new ApiError(502, "api_error", error,
                        "The provider's stream ended before the answer was complete.")));
            }
        } catch (ClientSink.ClientGone gone) {
            status = 499;
            error = "client_disconnected";
        } catch (IOException | InvalidUpstreamResponse upstreamFailed) {
            boolean timedOut = alarm.fired();
            status = timedOut ? 504 : 502;
            error = timedOut ? "upstream_timeout" : "upstream_stream_cut";
            String message = timedOut ? "The request timeout passed while the provider was still streaming."
                    : "The provider's stream broke before the answer was complete.";
            try {
                client.send(errors.sseEvent(new ApiError(status, "api_error", error, message)));
            } catch (ClientSink.ClientGone alsoGone) {
                error = "client_disconnected";
            }
        } finally {
            closeQuietly(out);
            alarm.cancel();
            stalledClient.cancel();
            if (translator.finished()) {
                drain(started);
            }
            started.response().close();
        }
        if (!metered) {
            metering.served(ctx, state, served(started, translator, status, error, ttftNanos, upstreamNanos));
        }
    }

    private static RequestMetering.Served served(Outcome.StreamStarted started, StreamTranslator translator, int status,
                                                 String error, long ttftNanos, long upstreamNanos) {
        return new RequestMetering.Served(started.attempt(), translator.usage(), translator.outputText(),
                translator.responseModel(), status, true, ttftNanos, upstreamNanos, started.attempts(), error);
    }

    /**
     * Reads what follows the terminal event (the end of the chunked body) so the provider's
     * connection can be reused. The client already has everything; a provider that lingers is cut.
     */
    private static void drain(Outcome.StreamStarted started) {
        Watchdog.Alarm lingering = Watchdog.arm(DRAIN_MS, started.exchange()::abort);
        try {
            while (started.reader().next() != null) {
                // Nothing is expected after the terminal event; whatever comes is dropped.
            }
        } catch (IOException dropped) {
            // The connection is not reused then; nothing else is lost.
        } finally {
            lingering.cancel();
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // The client is gone; there is no one left to tell.
        }
    }
}
