package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.metering.Usage;
import java.io.IOException;
import java.util.List;

/** Translates one upstream stream, event by event, into OpenAI chat-completion chunks. Stateful. */
public interface StreamTranslator {
    /** Handles one upstream event, writing whatever the client should see now. */
    void onEvent(SseEvent event, EventSink out) throws IOException;

    /** Whether the upstream sent its terminal event (a stream that ends without it was cut). */
    boolean finished();

    /** The usage the upstream last reported (complete once {@link #finished()}), or null if it reported none (yet). */
    Usage usage();

    /** The model the upstream says answered, or null. */
    String responseModel();

    /** Answer text seen so far, to estimate output tokens when the stream was cut before its usage. */
    CharSequence outputText();

    /** Why the model stopped, as the provider said it so far ({@link FinishReasons}). */
    List<String> finishReasons();
}
