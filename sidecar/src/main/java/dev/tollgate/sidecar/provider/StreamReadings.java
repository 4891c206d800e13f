package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.metering.Usage;

/**
 * What a stream translator reads on the way, whatever the provider: whether the terminal event
 * came, the usage, the model and the text. Subclasses fill the fields per event.
 */
public abstract class StreamReadings implements StreamTranslator {
    protected final StringBuilder text = new StringBuilder();
    protected boolean finished;
    protected Usage usage;
    protected String model;

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Usage usage() {
        return usage;
    }

    @Override
    public String responseModel() {
        return model;
    }

    @Override
    public CharSequence outputText() {
        return text;
    }
}
