package dev.tollgate.sidecar.metrics;

import dev.tollgate.sidecar.metering.Usage;

/** What the metrics need to know about one finished request. Empty strings for unknown labels. */
public record RequestOutcome(
        String route,
        String model,
        String upstreamModel,
        String responseModel,
        String provider,
        String providerType,
        String spendKey,
        String feature,
        int status,
        Usage usage,
        long costMicros,
        boolean priced,
        double durationSeconds,
        Double ttftSeconds,
        double overheadSeconds) {
}
