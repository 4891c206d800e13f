package dev.tollgate.sidecar;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.control.ControlSettings;
import dev.tollgate.sidecar.control.InClusterSidecar;
import dev.tollgate.sidecar.telemetry.TelemetrySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code java -jar tollgate-sidecar.jar --config FILE.json [--port N] [--admin-port N] [--usage-log FILE]}, or
 * without {@code --config} but with {@code TOLLGATE_CONTROL_URL} set: in-cluster mode, configured by
 * the operator ({@link ControlSettings} lists its env). Identity comes from the pod's environment
 * (POD_NAMESPACE, POD_NAME, TOLLGATE_WORKLOAD, TOLLGATE_POD_LABELS, TOLLGATE_DEFAULT_SPEND_KEY); OpenTelemetry
 * export from the standard OTEL_* variables ({@link TelemetrySettings}).
 */
public final class SidecarMain {
    private SidecarMain() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        SidecarSettings settings = SidecarSettings.defaults();
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--config" -> configFile = Path.of(require(args[i], value));
                case "--port" -> settings = settings.withPorts(parsePort(args[i], value), settings.adminPort());
                case "--admin-port" -> settings = settings.withPorts(settings.proxyPort(), parsePort(args[i], value));
                case "--usage-log" -> settings = settings.withUsageLog(Path.of(require(args[i], value)));
                default -> usage("unknown argument '" + args[i] + "'");
            }
            i++;
        }
        Map<String, String> env = System.getenv();
        if (configFile == null && env.get(ControlSettings.URL_ENV) == null) {
            usage("--config is required (or " + ControlSettings.URL_ENV + " for in-cluster mode)");
        }
        settings = settings.withIdentity(env.getOrDefault("POD_NAMESPACE", settings.namespace()),
                        env.getOrDefault("POD_NAME", settings.pod()), env.getOrDefault("TOLLGATE_WORKLOAD", settings.workload()),
                        podLabels(env.get("TOLLGATE_POD_LABELS")))
                .withDefaultSpendKey(env.get("TOLLGATE_DEFAULT_SPEND_KEY"));
        try {
            settings = settings.withTelemetry(TelemetrySettings.fromEnv(env));
        } catch (IllegalArgumentException e) {
            System.err.println("tollgate: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (configFile == null) {
            runInCluster(settings, env, started);
            return;
        }
        GatewayConfig config;
        try {
            config = ConfigJson.read(configFile);
        } catch (ConfigException e) {
            System.err.println("tollgate: invalid configuration " + configFile + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        Sidecar sidecar = Sidecar.start(settings, config);
        Runtime.getRuntime().addShutdownHook(new Thread(sidecar::close, "tollgate-shutdown"));
        System.err.printf("tollgate sidecar listening on http://%s:%d (admin :%d), %d routes, ready in %d ms%n",
                settings.proxyHost(), sidecar.proxyPort(), sidecar.adminPort(), config.routes().size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** In-cluster mode: listens at once, ready once the operator (or the pod's kept snapshot) configured it. */
    private static void runInCluster(SidecarSettings settings, Map<String, String> env, long started) {
        ControlSettings control;
        try {
            control = ControlSettings.fromEnv(env);
        } catch (IllegalArgumentException e) {
            System.err.println("tollgate: " + e.getMessage());
            System.exit(1);
            return;
        }
        InClusterSidecar sidecar = InClusterSidecar.start(settings, control);
        Runtime.getRuntime().addShutdownHook(new Thread(sidecar::close, "tollgate-shutdown"));
        System.err.printf("tollgate sidecar listening on http://%s:%d (admin :%d) in %d ms; configuration from %s%n",
                settings.proxyHost(), sidecar.sidecar().proxyPort(), sidecar.sidecar().adminPort(),
                (System.nanoTime() - started) / 1_000_000, control.controlUrl());
    }

    /** The pod's labels as the webhook wrote them: a JSON object of strings. */
    private static Map<String, String> podLabels(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return ConfigJson.MAPPER.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            System.err.println("tollgate: TOLLGATE_POD_LABELS is not a JSON object of strings");
            System.exit(1);
            return Map.of();
        }
    }

    private static String require(String flag, String value) {
        if (value == null) {
            usage(flag + " needs a value");
        }
        return value;
    }

    private static int parsePort(String flag, String value) {
        try {
            return Integer.parseInt(require(flag, value));
        } catch (NumberFormatException e) {
            usage(flag + " needs a port number");
            return 0;
        }
    }

    private static void usage(String problem) {
        System.err.println("tollgate-sidecar: " + problem);
        System.err.println("usage: java -jar tollgate-sidecar.jar --config FILE.json [--port N] [--admin-port N] [--usage-log FILE]");
        System.exit(2);
    }
}
