package dev.tollgate.sidecar.provider.anthropic;

import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.EventSink;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamTranslator;
import java.io.IOException;

/** Forwards each Anthropic event as it came (name and data), reading usage and text on the way. */
final class MessageEventsPassThrough implements StreamTranslator {
    private final MessageEvents events = new MessageEvents();

    @Override
    public void onEvent(SseEvent event, EventSink out) throws IOException {
        String type = events.accept(event).path("type").asText();
        out.send(SseBytes.named(event.event() != null ? event.event() : type, event.data()));
    }

    @Override
    public boolean finished() {
        return events.stopped();
    }

    @Override
    public Usage usage() {
        return events.usage();
    }

    @Override
    public String responseModel() {
        return events.model();
    }

    @Override
    public CharSequence outputText() {
        return events.text();
    }
}
