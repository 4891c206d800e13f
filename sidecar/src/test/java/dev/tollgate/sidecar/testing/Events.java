package dev.tollgate.sidecar.testing;

import dev.tollgate.sidecar.provider.EventParser;
import dev.tollgate.sidecar.provider.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Runs a push parser over a body read in whatever pieces the stream hands out, one event at a time. */
public final class Events {
    private Events() {
    }

    public static Reader reader(EventParser parser, InputStream body) {
        return new Reader(parser, body);
    }

    /** Pulls events out of a push parser, feeding it as the body's reads come. */
    public static final class Reader {
        private final EventParser parser;
        private final InputStream body;
        private final ArrayDeque<SseEvent> ready = new ArrayDeque<>();
        private final byte[] buffer = new byte[8192];
        private boolean ended;

        private Reader(EventParser parser, InputStream body) {
            this.parser = parser;
            this.body = body;
        }

        /** The next event, or null when the body ended. */
        public SseEvent next() throws IOException {
            while (ready.isEmpty() && !ended) {
                int n = body.read(buffer);
                if (n < 0) {
                    ended = true;
                    parser.end();
                } else {
                    List<SseEvent> events = new ArrayList<>();
                    parser.feed(ByteBuffer.wrap(buffer, 0, n), events);
                    ready.addAll(events);
                }
            }
            return ready.poll();
        }
    }
}
