package dev.tollgate.operator.webhook;

import dev.tollgate.sidecar.SidecarSettings;
import java.util.Map;
import java.util.Objects;

/**
 * What the webhook injects: the sidecar's image, resources, concurrency limit and JVM options, where it reaches the
 * operator, whether the cluster runs native sidecars, and the OTEL_* variables its telemetry follows. A resource
 * quantity left {@code null} is not set (no CPU limit by default: throttling a proxy adds latency to every call it
 * carries).
 */
public record InjectionSettings(
        String image,
        String imagePullPolicy,
        String cpuRequest,
        String memoryRequest,
        String cpuLimit,
        String memoryLimit,
        String controlUrl,
        String controlCaPem,
        int proxyPort,
        int adminPort,
        boolean nativeSidecars,
        int maxConcurrent,
        Map<String, String> telemetryEnv) {

    /**
     * About 106 MB RSS measured under load with the image's own JVM flags (sidecar/src/main/jvm/jvm.options,
     * docs/benchmark.md): 128Mi requested, 192Mi as the ceiling.
     */
    public static final String DEFAULT_CPU_REQUEST = "50m";
    public static final String DEFAULT_MEMORY_REQUEST = "128Mi";
    public static final String DEFAULT_MEMORY_LIMIT = "192Mi";
    public static final int DEFAULT_PROXY_PORT = 4000;
    public static final int DEFAULT_ADMIN_PORT = 9464;

    public InjectionSettings {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
        Objects.requireNonNull(controlUrl, "controlUrl");
        Objects.requireNonNull(controlCaPem, "controlCaPem");
        telemetryEnv = telemetryEnv == null ? Map.of() : Map.copyOf(telemetryEnv);
        if (image.isBlank()) {
            throw new IllegalArgumentException("the sidecar image must not be blank");
        }
        requirePort(proxyPort, "proxyPort");
        requirePort(adminPort, "adminPort");
        if (proxyPort == adminPort) {
            throw new IllegalArgumentException("proxyPort and adminPort must differ");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
    }

    /**
     * The chart's defaults: the measured resources above; ports 4000 and 9464; native sidecars off
     * until the cluster's version says otherwise ({@link #withNativeSidecars}); the sidecar's own
     * concurrency limit.
     */
    public static InjectionSettings defaults(String image, String controlUrl, String controlCaPem) {
        return new InjectionSettings(image, "IfNotPresent", DEFAULT_CPU_REQUEST, DEFAULT_MEMORY_REQUEST, null, DEFAULT_MEMORY_LIMIT,
                controlUrl, controlCaPem, DEFAULT_PROXY_PORT, DEFAULT_ADMIN_PORT, false, SidecarSettings.DEFAULT_MAX_CONCURRENT,
                Map.of());
    }

    public InjectionSettings withNativeSidecars(boolean supported) {
        return new InjectionSettings(image, imagePullPolicy, cpuRequest, memoryRequest, cpuLimit, memoryLimit,
                controlUrl, controlCaPem, proxyPort, adminPort, supported, maxConcurrent,
                telemetryEnv);
    }

    public InjectionSettings withTelemetryEnv(Map<String, String> env) {
        return new InjectionSettings(image, imagePullPolicy, cpuRequest, memoryRequest, cpuLimit, memoryLimit,
                controlUrl, controlCaPem, proxyPort, adminPort, nativeSidecars, maxConcurrent, env);
    }

    /** The CA rotates; the webhook injects the one current at admission. */
    public InjectionSettings withControlCaPem(String pem) {
        return new InjectionSettings(image, imagePullPolicy, cpuRequest, memoryRequest, cpuLimit, memoryLimit,
                controlUrl, pem, proxyPort, adminPort, nativeSidecars, maxConcurrent,
                telemetryEnv);
    }

    private static void requirePort(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 1-65535, got " + port);
        }
    }
}
