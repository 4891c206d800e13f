package dev.tollgate.sidecar.testing;

import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.SseParser;
import dev.tollgate.sidecar.provider.StreamTranslator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Runs a provider's SSE text through a stream translator, as the relay does, and returns what the client got. */
public final class StreamTranslation {
    private StreamTranslation() {
    }

    /** Every event until the stream ends or the translator saw its terminal event. */
    public static String run(StreamTranslator translator, String upstreamSse) {
        Events.Reader reader = Events.reader(new SseParser(), new ByteArrayInputStream(upstreamSse.getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        try {
            SseEvent event;
            while (!translator.finished() && (event = reader.next()) != null) {
                translator.onEvent(event, client::writeBytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return client.toString(StandardCharsets.UTF_8);
    }
}
