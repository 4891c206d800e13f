package dev.tollgate.sidecar.telemetry;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where traces and usage events go, read from the standard OpenTelemetry variables, so a sidecar is
 * configured like any other OpenTelemetry SDK. Nothing is exported unless an OTLP endpoint is named.
 *
 * @param tracesEndpoint  full URL traces are posted to; null exports none
 * @param logsEndpoint    full URL usage events are posted to; null exports none
 * @param headers         sent with every export (a collector's API key); never logged
 * @param samplerRatio    share of new traces recorded; a caller's sampled flag is followed (parent-based)
 * @param queueSize       spans, and separately events, held for export; more are dropped and counted
 * @param scheduleDelayMs how long a batch fills before it is exported (unless full first)
 */
public record TelemetrySettings(URI tracesEndpoint, URI logsEndpoint, Map<String, String> headers, double samplerRatio,
                                String serviceName, Map<String, String> resourceAttributes, long exportTimeoutMs,
                                int queueSize, long scheduleDelayMs) {
    public static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public static final String TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public static final String LOGS_ENDPOINT = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";
    public static final String PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public static final String HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";
    public static final String TIMEOUT = "OTEL_EXPORTER_OTLP_TIMEOUT";
    public static final String TRACES_EXPORTER = "OTEL_TRACES_EXPORTER";
    public static final String LOGS_EXPORTER = "OTEL_LOGS_EXPORTER";
    public static final String SAMPLER = "OTEL_TRACES_SAMPLER";
    public static final String SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG";
    public static final String SERVICE_NAME = "OTEL_SERVICE_NAME";
    public static final String RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES";
    public static final String SDK_DISABLED = "OTEL_SDK_DISABLED";
    public static final String QUEUE_SIZE = "OTEL_BSP_MAX_QUEUE_SIZE";
    public static final String SCHEDULE_DELAY = "OTEL_BSP_SCHEDULE_DELAY";
    /**
     * Not the specification's 5 s: batches held that long tenured in the 64 MB heap and grew it; 100 ms keeps
     * the heap small for a few more exports (docs/benchmark.md).
     */
    static final long DEFAULT_SCHEDULE_DELAY_MS = 100;
    /** The only protocol exported: the collector's OTLP/HTTP receiver with protobuf bodies. */
    public static final String HTTP_PROTOBUF = "http/protobuf";
    static final String NONE = "none";
    static final String OTLP = "otlp";
    static final String DEFAULT_SERVICE_NAME = "tollgate-sidecar";

    public TelemetrySettings {
        headers = Map.copyOf(headers);
        resourceAttributes = Map.copyOf(resourceAttributes);
        if (!(samplerRatio >= 0 && samplerRatio <= 1)) {
            throw new IllegalArgumentException("sampler ratio must be between 0 and 1");
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("queue size must be positive");
        }
    }

    /** Nothing exported: the request path builds no span and no event. */
    public static TelemetrySettings off() {
        return new TelemetrySettings(null, null, Map.of(), 1.0, DEFAULT_SERVICE_NAME, Map.of(), 10_000, 2048,
                DEFAULT_SCHEDULE_DELAY_MS);
    }

    public boolean exportsTraces() {
        return tracesEndpoint != null;
    }

    public boolean exportsUsageEvents() {
        return logsEndpoint != null;
    }

    /** Throws IllegalArgumentException naming the variable that is wrong. */
    public static TelemetrySettings fromEnv(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.get(SDK_DISABLED))) {
            return off();
        }
        String protocol = env.getOrDefault(PROTOCOL, HTTP_PROTOBUF);
        if (!HTTP_PROTOBUF.equals(protocol)) {
            throw new IllegalArgumentException(PROTOCOL + " '" + protocol + "' is not supported; use " + HTTP_PROTOBUF);
        }
        String base = env.get(ENDPOINT);
        URI traces = endpoint(env, TRACES_EXPORTER, TRACES_ENDPOINT, base, "v1/traces");
        URI logs = endpoint(env, LOGS_EXPORTER, LOGS_ENDPOINT, base, "v1/logs");
        return new TelemetrySettings(traces, logs, pairs(env, HEADERS), ratio(env),
                env.getOrDefault(SERVICE_NAME, DEFAULT_SERVICE_NAME), pairs(env, RESOURCE_ATTRIBUTES),
                positive(env, TIMEOUT, 10_000), (int) positive(env, QUEUE_SIZE, 2048),
                positive(env, SCHEDULE_DELAY, DEFAULT_SCHEDULE_DELAY_MS));
    }

    /** A signal's own endpoint as given, else the base endpoint with the signal's path, as the OTLP spec says. */
    private static URI endpoint(Map<String, String> env, String exporterVar, String signalVar, String base, String path) {
        String exporter = env.getOrDefault(exporterVar, OTLP);
        if (NONE.equals(exporter)) {
            return null;
        }
        if (!OTLP.equals(exporter)) {
            throw new IllegalArgumentException(exporterVar + " '" + exporter + "' is not supported; use otlp or none");
        }
        String given = env.get(signalVar);
        String url = given != null && !given.isBlank() ? given
                : base == null || base.isBlank() ? null : (base.endsWith("/") ? base : base + "/") + path;
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((given != null ? signalVar : ENDPOINT) + " is not an http(s) URL");
        }
    }

    /** The sampler names of the SDK specification; every ratio sampler here follows a caller's decision. */
    private static double ratio(Map<String, String> env) {
        String sampler = env.getOrDefault(SAMPLER, "parentbased_always_on");
        return switch (sampler) {
            case "always_on", "parentbased_always_on" -> 1.0;
            case "always_off", "parentbased_always_off" -> 0.0;
            case "traceidratio", "parentbased_traceidratio" -> {
                String arg = env.getOrDefault(SAMPLER_ARG, "1.0");
                try {
                    double ratio = Double.parseDouble(arg);
                    if (ratio >= 0 && ratio <= 1) {
                        yield ratio;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new IllegalArgumentException(SAMPLER_ARG + " must be a ratio between 0 and 1");
            }
            default -> throw new IllegalArgumentException(SAMPLER + " '" + sampler + "' is not supported; use "
                    + "parentbased_traceidratio, parentbased_always_on or parentbased_always_off");
        };
    }

    /** {@code key=value,key=value} with URL-encoded values, as the specification writes headers and resource attributes. */
    private static Map<String, String> pairs(Map<String, String> env, String var) {
        String value = env.get(var);
        Map<String, String> pairs = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return pairs;
        }
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                // The value may be a credential: name the variable, never echo it.
                throw new IllegalArgumentException(var + " must be key=value pairs separated by commas");
            }
            pairs.put(pair.substring(0, eq).trim(),
                    java.net.URLDecoder.decode(pair.substring(eq + 1).trim(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return pairs;
    }

    private static long positive(Map<String, String> env, String var, long fallback) {
        String value = env.get(var);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > 0 && parsed <= Integer.MAX_VALUE) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(var + " must be a positive whole number");
    }

    @Override
    public String toString() {
        // Headers carry collector credentials.
        return "TelemetrySettings[traces=" + tracesEndpoint + ", logs=" + logsEndpoint + ", ratio=" + samplerRatio + "]";
    }
}
