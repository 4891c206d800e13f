package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.provider.EventReader;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamExchange;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamResponse;

/** How the attempts of one request ended. {@code upstreamNanos} is time spent waiting on providers. */
public sealed interface Outcome {
    int attempts();

    /** A complete answer (non-streaming). */
    record Answered(Attempt attempt, TranslatedAnswer answer, int attempts, long upstreamNanos) implements Outcome {
    }

    /**
     * A stream whose first event arrived and translated cleanly; nothing reached the client yet.
     * The caller relays the rest and must close the response.
     */
    record StreamStarted(Attempt attempt, UpstreamExchange exchange, UpstreamResponse response, EventReader reader,
                         StreamTranslator translator, byte[] firstBytes, int attempts, long upstreamNanos) implements Outcome {
    }

    /** No answer: every allowed attempt failed, or the provider refused the request itself. */
    record Failed(Attempt last, UpstreamFailure failure, int attempts) implements Outcome {
    }
}
