package dev.tollgate.sidecar.provider.anthropic;

import dev.tollgate.sidecar.provider.EventSink;
import dev.tollgate.sidecar.provider.SseBytes;
import dev.tollgate.sidecar.provider.SseEvent;
import java.io.IOException;

/** Forwards each Anthropic event as it came (name and data), reading usage and text on the way. */
final class MessageEventsPassThrough extends MessageStreamTranslator {
    @Override
    public void onEvent(SseEvent event, EventSink out) throws IOException {
        String type = accept(event).path("type").asText();
        out.send(SseBytes.event(event.event() != null ? event.event() : type, event.data()));
    }
}
