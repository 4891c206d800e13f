package dev.tollgate.sidecar.provider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One client request a provider serves with several calls in turn (Titan embeds one text per call): sent one
 * after the other on the calling thread, their answers handed back as one, a JSON array of their bodies in
 * order. The first call that fails is the answer, so it is classified and failed over like any other.
 */
public final class SequentialCalls implements UpstreamExchange {
    /** One call's answer is read whole; a bigger one is a broken answer, not a reason to run out of memory. */
    private static final int MAX_CALL_BODY = 1024 * 1024;

    private final UpstreamTransport transport;
    private final List<Supplier<UpstreamRequest>> calls;
    private volatile boolean aborted;
    private volatile UpstreamExchange current;

    /** @param calls each call's request, built just before it is sent (a signature's clock starts then) */
    public SequentialCalls(UpstreamTransport transport, List<Supplier<UpstreamRequest>> calls) {
        this.transport = transport;
        this.calls = List.copyOf(calls);
    }

    @Override
    public UpstreamResponse send() throws IOException {
        ByteArrayOutputStream answers = new ByteArrayOutputStream();
        answers.write('[');
        for (int i = 0; i < calls.size(); i++) {
            UpstreamExchange exchange = transport.open(calls.get(i).get());
            current = exchange;
            if (aborted) {
                throw new IOException("aborted");
            }
            UpstreamResponse response = exchange.send();
            if (response.status() / 100 != 2) {
                return response;
            }
            try (response) {
                byte[] body = response.body().readNBytes(MAX_CALL_BODY + 1);
                if (body.length > MAX_CALL_BODY) {
                    throw new IOException("answer " + i + " is larger than " + MAX_CALL_BODY + " bytes");
                }
                if (i > 0) {
                    answers.write(',');
                }
                answers.write(body);
            }
        }
        answers.write(']');
        return new Combined(answers.toByteArray());
    }

    @Override
    public void abort() {
        aborted = true;
        UpstreamExchange exchange = current;
        if (exchange != null) {
            exchange.abort();
        }
    }

    /** The calls' answers as one 200 JSON answer. */
    private static final class Combined implements UpstreamResponse {
        private final int length;
        private final InputStream body;

        Combined(byte[] answers) {
            this.length = answers.length;
            this.body = new ByteArrayInputStream(answers);
        }

        @Override
        public int status() {
            return 200;
        }

        @Override
        public Optional<String> header(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "content-type" -> Optional.of("application/json");
                case "content-length" -> Optional.of(Integer.toString(length));
                default -> Optional.empty();
            };
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public void close() {
            // Nothing is held: each call's connection was released once its answer was read.
        }
    }
}
