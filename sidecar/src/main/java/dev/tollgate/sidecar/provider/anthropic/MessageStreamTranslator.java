package dev.tollgate.sidecar.provider.anthropic;

import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.StreamTranslator;

/** A translator of an Anthropic Messages stream: what it reports comes from the events read so far. */
abstract class MessageStreamTranslator implements StreamTranslator {
    protected final MessageEvents events = new MessageEvents();

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
