package dev.tollgate.sidecar.metering;

import java.util.concurrent.CompletionStage;

/** Where usage lines go; called once per finished request, from any thread. */
@FunctionalInterface
public interface UsageSink {
    /**
     * Takes the request's line and returns at once; the stage completes once the line was handed to the
     * operating system (so a crash of this process no longer loses it), or writing it failed, which the sink
     * reports itself: a full disk never fails a request. A caller that must not answer before its line is
     * safe waits for the stage; one on an IO thread chains the answer onto it.
     */
    CompletionStage<Void> record(UsageRecord record);
}
