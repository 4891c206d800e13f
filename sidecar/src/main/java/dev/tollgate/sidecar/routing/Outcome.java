package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamFailure;

/** How the attempts of one request ended. {@code upstreamNanos} is time spent waiting on providers. */
public sealed interface Outcome {
    int attempts();

    /** A complete answer (non-streaming). */
    record Answered(Attempt attempt, TranslatedAnswer answer, int attempts, long upstreamNanos) implements Outcome {
    }

    /**
     * A stream whose first event arrived and translated cleanly; nothing reached the client yet.
     * The caller relays the rest through the stream, which owns it until its end.
     */
    record StreamStarted(StartedStream stream, int attempts, long upstreamNanos) implements Outcome {
        public Attempt attempt() {
            return stream.attempt();
        }
    }

    /**
     * The client left first: the attempt in flight ({@code inFlight}, null when none was: between attempts) was
     * cancelled, and no other starts. {@code last} is the last attempt that failed, if any.
     */
    record Abandoned(Attempt inFlight, Attempt last, int attempts, long upstreamNanos) implements Outcome {
    }

    /** No answer: every allowed attempt failed, or the provider refused the request itself. */
    record Failed(Attempt last, UpstreamFailure failure, int attempts) implements Outcome {
    }
}
