package dev.tollgate.sidecar.provider;

import java.io.IOException;

/**
 * Reads a provider's stream as a sequence of events: server-sent events for most providers,
 * AWS's binary event-stream frames for Bedrock (the event type in {@link SseEvent#event()}).
 */
public interface EventReader {
    /** The next event, or null when the stream ended. */
    SseEvent next() throws IOException;
}
