package dev.tollgate.sidecar;

import dev.tollgate.sidecar.telemetry.TelemetrySettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Identity, ports and limits of one sidecar process. Not part of the configuration snapshot:
 * these come from the pod (env) or the command line and never change while it runs.
 *
 * @param maxConcurrentRequests requests served at once (streams included); more get 503
 * @param maxBodyBytes          largest request body accepted; larger gets 413
 * @param bodyMemoryBytes       request bodies held in memory at once, across all requests; past it 503;
 *                              never less than one body of the largest size
 * @param clientTimeouts        how long a client may take to send its request
 * @param podLabels             matched against routes' workload selectors
 * @param defaultSpendKey       spend key name for requests that carry none (pod annotation)
 * @param usageLog              file the usage lines are appended to; null writes them to stdout
 * @param telemetry             where traces and usage events are exported (OTLP); off by default
 */
public record SidecarSettings(
        String proxyHost,
        int proxyPort,
        String adminHost,
        int adminPort,
        int maxConcurrentRequests,
        long maxBodyBytes,
        long bodyMemoryBytes,
        ClientTimeouts clientTimeouts,
        String namespace,
        String pod,
        String workload,
        Map<String, String> podLabels,
        String defaultSpendKey,
        Path usageLog,
        TelemetrySettings telemetry) {

    public SidecarSettings {
        podLabels = podLabels == null ? Map.of() : Map.copyOf(podLabels);
        bodyMemoryBytes = Math.max(bodyMemoryBytes, maxBodyBytes);
        clientTimeouts = clientTimeouts == null ? ClientTimeouts.DEFAULTS : clientTimeouts;
        telemetry = telemetry == null ? TelemetrySettings.off() : telemetry;
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("the concurrent request limit must be at least 1, got " + maxConcurrentRequests);
        }
    }

    /** Requests served at once by default: sized to what a pod running agents or batches holds open. */
    public static final int DEFAULT_MAX_CONCURRENT = 4096;
    public static final long DEFAULT_MAX_BODY_BYTES = 8L * 1024 * 1024;

    public static SidecarSettings defaults() {
        return new SidecarSettings("127.0.0.1", 4000, "0.0.0.0", 9464, DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_BODY_BYTES,
                defaultBodyMemory(), ClientTimeouts.DEFAULTS, "default", "local", "local", Map.of(), null, null,
                TelemetrySettings.off());
    }

    /**
     * An eighth of the heap (8 MiB with the image's 64 MB): while its body is held a request also
     * holds what was parsed from it and the provider's copy, a few times its size
     * ({@code BodyMemoryUnderImageHeapTest} measures it with the image's flags).
     */
    static long defaultBodyMemory() {
        return Runtime.getRuntime().maxMemory() / 8;
    }

    public SidecarSettings withHosts(String proxyHost, String adminHost) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                bodyMemoryBytes, clientTimeouts, namespace, pod, workload, podLabels, defaultSpendKey, usageLog,
                telemetry);
    }

    public SidecarSettings withBodyMemory(long bodyMemoryBytes) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                bodyMemoryBytes, clientTimeouts, namespace, pod, workload, podLabels, defaultSpendKey, usageLog,
                telemetry);
    }

    public SidecarSettings withClientTimeouts(ClientTimeouts clientTimeouts) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                bodyMemoryBytes, clientTimeouts, namespace, pod, workload, podLabels, defaultSpendKey, usageLog,
                telemetry);
    }

    public SidecarSettings withPorts(int proxyPort, int adminPort) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                bodyMemoryBytes, clientTimeouts, namespace, pod, workload, podLabels, defaultSpendKey, usageLog,
                telemetry);
    }

    public SidecarSettings withUsageLog(Path usageLog) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                bodyMemoryBytes, clientTimeouts, namespace, pod, workload, podLabels, defaultSpendKey, usageLog,
                telemetry);
    }

    public SidecarSettings withDefaultSpendKey(String defaultSpendKey) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                bodyMemoryBytes, clientTimeouts, namespace, pod, workload, podLabels, defaultSpendKey, usageLog,
                telemetry);
    }

    public SidecarSettings withLimits(int maxConcurrentRequests, long maxBodyBytes) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                bodyMemoryBytes, clientTimeouts, namespace, pod, workload, podLabels, defaultSpendKey, usageLog,
                telemetry);
    }

    public SidecarSettings withIdentity(String namespace, String pod, String workload, Map<String, String> podLabels) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                bodyMemoryBytes, clientTimeouts, namespace, pod, workload, podLabels, defaultSpendKey, usageLog,
                telemetry);
    }

    public SidecarSettings withTelemetry(TelemetrySettings telemetry) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                bodyMemoryBytes, clientTimeouts, namespace, pod, workload, podLabels, defaultSpendKey, usageLog,
                telemetry);
    }
}
