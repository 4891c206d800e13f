package dev.tollgate.sidecar.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One client request a provider serves with several calls in turn (Titan embeds one text per call): each sent
 * when the one before answered, their answers handed on as one, a JSON array of their bodies in order. The
 * first call that fails is the answer, so it is classified and failed over like any other.
 */
public final class SequentialCalls {
    /** One call's answer is read whole; a bigger one is a broken answer, not a reason to run out of memory. */
    private static final int MAX_CALL_BODY = 1024 * 1024;

    private final UpstreamTransport transport;
    private final List<Supplier<UpstreamRequest>> calls;
    private final UpstreamHandler handler;
    private final ByteArrayOutputStream answers = new ByteArrayOutputStream();
    /** The call in flight, each in turn; pause and cancel asked of the sequence reach whichever it is. */
    private final PendingCall sending = new PendingCall();

    /** @param calls each call's request, built just before it is sent (a signature's clock starts then) */
    private SequentialCalls(UpstreamTransport transport, List<Supplier<UpstreamRequest>> calls, UpstreamHandler handler) {
        this.transport = transport;
        this.calls = List.copyOf(calls);
        this.handler = handler;
    }

    /** Starts the first call; the answer reaches {@code handler} as if it were one. */
    public static UpstreamCall send(UpstreamTransport transport, List<Supplier<UpstreamRequest>> calls,
                                    UpstreamHandler handler) {
        SequentialCalls sequence = new SequentialCalls(transport, calls, handler);
        sequence.answers.write('[');
        sequence.call(0);
        return sequence.sending;
    }

    private void call(int i) {
        if (!sending.cancelled()) {
            sending.set(transport.send(calls.get(i).get(), new OneCall(i)));
        }
    }

    /** One call's answer: a failure is passed on as the whole answer; a success is kept for the array. */
    private final class OneCall implements UpstreamHandler {
        private final int index;
        private boolean failed;
        private BoundedBody body;

        OneCall(int index) {
            this.index = index;
        }

        @Override
        public void onHead(UpstreamHead head) {
            failed = !head.successful();
            if (failed) {
                handler.onHead(head);
            } else {
                body = new BoundedBody(MAX_CALL_BODY, -1);
            }
        }

        @Override
        public void onData(ByteBuffer data) {
            if (failed) {
                handler.onData(data);
            } else {
                body.add(data);
            }
        }

        @Override
        public void onEnd() {
            if (failed) {
                handler.onEnd();
                return;
            }
            if (body.overflowed()) {
                handler.onFailure(new IOException("answer " + index + " is larger than " + MAX_CALL_BODY + " bytes"));
                return;
            }
            if (index > 0) {
                answers.write(',');
            }
            answers.writeBytes(body.bytes());
            if (index + 1 < calls.size()) {
                call(index + 1);
                return;
            }
            answers.write(']');
            byte[] all = answers.toByteArray();
            handler.onHead(new UpstreamHead(200, Map.of("content-type", "application/json",
                    "content-length", Integer.toString(all.length))));
            handler.onData(ByteBuffer.wrap(all));
            handler.onEnd();
        }

        @Override
        public void onFailure(IOException cause) {
            handler.onFailure(cause);
        }
    }
}
