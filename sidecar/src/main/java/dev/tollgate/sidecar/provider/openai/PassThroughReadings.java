package dev.tollgate.sidecar.provider.openai;

import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.StreamTranslator;

/**
 * What a translator that forwards an OpenAI-type stream as it came reads on the way: whether the
 * terminal event came, the usage, the model and the text. Subclasses fill the fields per event.
 */
abstract class PassThroughReadings implements StreamTranslator {
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
