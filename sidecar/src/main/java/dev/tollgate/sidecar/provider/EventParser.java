package dev.tollgate.sidecar.provider;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Splits a provider's streamed body into events as its bytes arrive, in whatever pieces they come:
 * server-sent events for most providers, AWS's binary event-stream frames for Bedrock (the event
 * type in {@link SseEvent#event()}). Holds at most one event's bytes; a larger event fails the stream.
 */
public interface EventParser {
    /** Consumes all of {@code bytes}, appending every event they complete; IOException: not a valid stream. */
    void feed(ByteBuffer bytes, List<SseEvent> out) throws IOException;

    /** The body ended; IOException if the format does not allow it to end here. */
    void end() throws IOException;
}
