package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.metering.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stream translator reads on the way, whatever the provider: whether the terminal event
 * came, the usage, the model, the text and the finish reasons. Subclasses fill them per event.
 */
public abstract class StreamReadings implements StreamTranslator {
    protected final StringBuilder text = new StringBuilder();
    protected boolean finished;
    protected Usage usage;
    protected String model;
    private final List<String> finishReasons = new ArrayList<>(1);

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

    @Override
    public List<String> finishReasons() {
        return finishReasons;
    }

    /** The provider said why a choice ended; null is ignored. */
    protected void stoppedBecause(String reason) {
        FinishReasons.add(finishReasons, reason);
    }
}
