package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.EventParser;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.UpstreamCall;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamRefusal;
import dev.tollgate.sidecar.timing.Watchdog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One provider stream from its head to its end, and the one owner of it: reads the bytes as they
 * arrive, parses and translates them into the client API's events, hands those to one {@link Reader}
 * in order, lets the reader pace (pause, resume) or drop (cancel) the provider, and keeps the
 * readings (usage, model, text) for metering. After the terminal event the rest of the body is read
 * and dropped, so the connection can be reused; a provider lingering past {@value #DRAIN_MS} ms is cut.
 */
public final class StartedStream {
    private static final long DRAIN_MS = 1_000;

    /** Where the client's bytes go once the stream is relayed. Calls never overlap. */
    public interface Reader {
        void onBytes(byte[] sse);

        /**
         * No more bytes: the terminal event came ({@link #finished()}, its bytes in {@code terminal}, held back
         * so they leave only once the request is on the books), the provider's body ended without it (cut,
         * {@code terminal} empty), or {@code broken} (a read failure or a nonsensical event) says why not.
         */
        void onEnd(List<byte[]> terminal, Exception broken);
    }

    /** How the first event went, for the attempt that is still deciding whether to fail over. */
    interface Opening {
        void opened();

        void failedToOpen(UpstreamFailure failure);
    }

    private final Attempt attempt;
    private final UpstreamCall call;
    private final EventParser parser;
    private final StreamTranslator translator;
    private final int status;
    private final List<SseEvent> events = new ArrayList<>();
    // Guarded by this.
    private Opening opening;
    private Reader reader;
    private List<byte[]> early = new ArrayList<>();
    /** The bytes of the event being translated, handed on once it is known whether it was the terminal one. */
    private final List<byte[]> eventBytes = new ArrayList<>();
    private List<byte[]> terminal = List.of();
    private boolean ended;
    private Exception broken;
    private Watchdog.Alarm drainUntil;
    private volatile long lastDataNanos = System.nanoTime();

    StartedStream(Attempt attempt, UpstreamCall call, EventParser parser, StreamTranslator translator, int status,
                  Opening opening) {
        this.attempt = attempt;
        this.call = call;
        this.parser = parser;
        this.translator = translator;
        this.status = status;
        this.opening = opening;
    }

    public Attempt attempt() {
        return attempt;
    }

    /** Starts handing the client's bytes to {@code reader}: first those already translated, then as they come. */
    public synchronized void relayTo(Reader reader) {
        this.reader = reader;
        early.forEach(reader::onBytes);
        early = null;
        if (ended) {
            reader.onEnd(terminal, broken);
        }
    }

    /** Stops reading from the provider (the client is slow); bytes already on their way still arrive. */
    public void pause() {
        call.pause();
    }

    public void resume() {
        call.resume();
    }

    /** Drops the provider's connection (the client left, a timeout); nothing more reaches the reader. */
    public void cancel() {
        call.cancel();
    }

    /** When bytes last came from the provider ({@link System#nanoTime()}): the idle timeout's clock. */
    public long lastDataNanos() {
        return lastDataNanos;
    }

    public boolean finished() {
        return translator.finished();
    }

    public Usage usage() {
        return translator.usage();
    }

    public String responseModel() {
        return translator.responseModel();
    }

    public CharSequence outputText() {
        return translator.outputText();
    }

    public List<String> finishReasons() {
        return translator.finishReasons();
    }

    synchronized void onData(ByteBuffer data) {
        lastDataNanos = System.nanoTime();
        if (ended) {
            data.position(data.limit()); // after the terminal event: drained and dropped
            return;
        }
        try {
            events.clear();
            parser.feed(data, events);
            for (SseEvent event : events) {
                eventBytes.clear();
                translator.onEvent(event, eventBytes::add);
                if (translator.finished()) {
                    terminal = List.copyOf(eventBytes);
                } else {
                    eventBytes.forEach(this::emit);
                }
                if (opening != null) {
                    Opening first = opening;
                    opening = null;
                    first.opened();
                }
                if (translator.finished()) {
                    end(null);
                    drainUntil = Watchdog.arm(DRAIN_MS, call::cancel);
                    return;
                }
            }
        } catch (IOException | InvalidUpstreamResponse | UpstreamRefusal e) {
            broke(e);
        }
    }

    synchronized void onEnd() {
        if (drainUntil != null) {
            drainUntil.cancel();
        }
        if (ended) {
            return;
        }
        try {
            parser.end();
            if (opening != null) {
                failedToOpen(new UpstreamFailure(FailureClass.SERVER_ERROR, status, null, "the stream ended before any data"));
                return;
            }
            end(null);
        } catch (IOException e) {
            broke(e);
        }
    }

    synchronized void onFailure(IOException cause) {
        if (drainUntil != null) {
            drainUntil.cancel();
        }
        broke(cause);
    }

    private void broke(Exception cause) {
        if (ended) {
            return;
        }
        if (opening != null) {
            UpstreamFailure failure = cause instanceof UpstreamRefusal
                    ? new UpstreamFailure(FailureClass.CLIENT_ERROR, 400, null, cause.getMessage())
                    : cause instanceof InvalidUpstreamResponse
                    ? new UpstreamFailure(FailureClass.SERVER_ERROR, status, null, cause.getMessage())
                    : new UpstreamFailure(FailureClass.SERVER_ERROR, 0, null, "the stream broke before any data");
            failedToOpen(failure);
            return;
        }
        call.cancel();
        end(cause);
    }

    private void failedToOpen(UpstreamFailure failure) {
        Opening first = opening;
        opening = null;
        ended = true;
        call.cancel();
        first.failedToOpen(failure);
    }

    private void end(Exception why) {
        ended = true;
        broken = why;
        if (reader != null) {
            reader.onEnd(terminal, why);
        }
    }

    private void emit(byte[] sse) {
        if (reader != null) {
            reader.onBytes(sse);
        } else {
            early.add(sse);
        }
    }
}
