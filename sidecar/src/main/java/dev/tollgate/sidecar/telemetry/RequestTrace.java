package dev.tollgate.sidecar.telemetry;

import dev.tollgate.sidecar.metering.UsageRecord;
import java.util.List;
import java.util.Map;

/**
 * The telemetry of one request: its server span, one client span per upstream attempt, and its
 * usage event. {@link #NONE} when nothing is exported, so the request path then does no work.
 * Attempts come one after another; calls may come from any thread.
 */
public interface RequestTrace {
    RequestTrace NONE = new RequestTrace() {
        @Override
        public Map<String, String> attemptStarted(String providerType, String provider, String upstreamModel) {
            return Map.of();
        }

        @Override
        public void attemptEnded(String result, boolean succeeded) {
        }

        @Override
        public void finish(UsageRecord record, String responseModel, List<String> finishReasons) {
        }
    };

    /** Starts an attempt's span; returns the headers ({@code traceparent}, …) that carry it to the provider. */
    Map<String, String> attemptStarted(String providerType, String provider, String upstreamModel);

    /** Ends the current attempt's span; a failure marks it as an error of type {@code result}. */
    void attemptEnded(String result, boolean succeeded);

    /**
     * Ends the request's span with what its usage line says and why the model stopped, and emits the
     * usage event. Called once.
     */
    void finish(UsageRecord record, String responseModel, List<String> finishReasons);
}
