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
        String namespace,
        String pod,
        String workload,
        Map<String, String> podLabels,
        String defaultSpendKey,
        Path usageLog,
        TelemetrySettings telemetry) {

    public SidecarSettings {
        podLabels = podLabels == null ? Map.of() : Map.copyOf(podLabels);
        telemetry = telemetry == null ? TelemetrySettings.off() : telemetry;
    }

    public static SidecarSettings defaults() {
        return new SidecarSettings("127.0.0.1", 4000, "0.0.0.0", 9464, 256, 8L * 1024 * 1024,
                "default", "local", "local", Map.of(), null, null, TelemetrySettings.off());
    }

    public SidecarSettings withPorts(int proxyPort, int adminPort) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                namespace, pod, workload, podLabels, defaultSpendKey, usageLog, telemetry);
    }

    public SidecarSettings withUsageLog(Path usageLog) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                namespace, pod, workload, podLabels, defaultSpendKey, usageLog, telemetry);
    }

    public SidecarSettings withDefaultSpendKey(String defaultSpendKey) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                namespace, pod, workload, podLabels, defaultSpendKey, usageLog, telemetry);
    }

    public SidecarSettings withLimits(int maxConcurrentRequests, long maxBodyBytes) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                namespace, pod, workload, podLabels, defaultSpendKey, usageLog, telemetry);
    }

    public SidecarSettings withIdentity(String namespace, String pod, String workload, Map<String, String> podLabels) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                namespace, pod, workload, podLabels, defaultSpendKey, usageLog, telemetry);
    }

    public SidecarSettings withTelemetry(TelemetrySettings telemetry) {
        return new SidecarSettings(proxyHost, proxyPort, adminHost, adminPort, maxConcurrentRequests, maxBodyBytes,
                namespace, pod, workload, podLabels, defaultSpendKey, usageLog, telemetry);
    }
}
