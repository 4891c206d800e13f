package dev.tollgate.sidecar.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few telemetry choices the chart and local mode offer, as the standard OTEL_* variables a
 * sidecar reads ({@link TelemetrySettings#fromEnv}). One translation for the operator's webhook and
 * for local mode, checked the way the sidecar will read it.
 */
public final class TelemetryEnv {
    public static final String PARENT_BASED_RATIO = "parentbased_traceidratio";

    private TelemetryEnv() {
    }

    /**
     * @param endpoint      the collector's OTLP/HTTP base URL; blank exports nothing (an empty map)
     * @param traceSampling share of new traces recorded, 0 to 1; a caller's decision is followed
     * @param usageEvents   {@code on} or {@code off}: usage lines also leave as OTLP log records
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Map<String, String> of(String endpoint, String protocol, String traceSampling, String usageEvents) {
        Map<String, String> env = new LinkedHashMap<>();
        if (endpoint == null || endpoint.isBlank()) {
            return env;
        }
        env.put(TelemetrySettings.ENDPOINT, endpoint.trim());
        env.put(TelemetrySettings.PROTOCOL, protocol);
        env.put(TelemetrySettings.SAMPLER, PARENT_BASED_RATIO);
        env.put(TelemetrySettings.SAMPLER_ARG, traceSampling);
        env.put(TelemetrySettings.LOGS_EXPORTER, switch (usageEvents) {
            case "on", "true" -> TelemetrySettings.OTLP;
            case "off", "false" -> TelemetrySettings.NONE;
            default -> throw new IllegalArgumentException("usage events must be on or off, not '" + usageEvents + "'");
        });
        TelemetrySettings.fromEnv(env);
        return env;
    }
}
