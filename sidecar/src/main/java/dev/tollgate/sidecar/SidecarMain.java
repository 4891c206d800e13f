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
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar tollgate-sidecar.jar --config FILE.json [options]} ({@link SidecarFlag} lists them), or
 * without {@code --config} but with {@code TOLLGATE_CONTROL_URL} set: in-cluster mode, configured by
 * the operator ({@link ControlSettings} lists its env). Identity comes from the pod's environment
 * (POD_NAMESPACE, POD_NAME, TOLLGATE_WORKLOAD, TOLLGATE_POD_LABELS, TOLLGATE_DEFAULT_SPEND_KEY); OpenTelemetry
 * export from the standard OTEL_* variables ({@link TelemetrySettings}).
 */
public final class SidecarMain {
    private SidecarMain() {
    }

    /** What the command line says: the settings and the configuration file (null in in-cluster mode). */
    record CommandLine(SidecarSettings settings, Path configFile) {
        /** @throws IllegalArgumentException naming the flag that is wrong */
        static CommandLine parse(List<String> args, SidecarSettings defaults) {
            SidecarSettings settings = defaults;
            Path configFile = null;
            for (int i = 0; i < args.size(); i += 2) {
                String name = args.get(i);
                SidecarFlag flag = SidecarFlag.of(name)
                        .orElseThrow(() -> new IllegalArgumentException("unknown argument '" + name + "'"));
                if (i + 1 == args.size()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args.get(i + 1);
                switch (flag) {
                    case CONFIG -> configFile = Path.of(value);
                    case PORT -> settings = settings.withPorts(number(name, value, 0), settings.adminPort());
                    case ADMIN_PORT -> settings = settings.withPorts(settings.proxyPort(), number(name, value, 0));
                    case USAGE_LOG -> settings = settings.withUsageLog(Path.of(value));
                    case MAX_CONCURRENT -> settings = settings.withLimits(number(name, value, 1), settings.maxBodyBytes());
                }
            }
            return new CommandLine(settings, configFile);
        }

        private static int number(String flag, String value, int least) {
            try {
                int n = Integer.parseInt(value);
                if (n >= least) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new IllegalArgumentException(flag + " needs a number of at least " + least + ", not '" + value + "'");
        }
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        CommandLine line;
        try {
            line = CommandLine.parse(List.of(args), SidecarSettings.defaults());
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        SidecarSettings settings = line.settings();
        Path configFile = line.configFile();
        Map<String, String> env = System.getenv();
        if (configFile == null && env.get(ControlSettings.URL_ENV) == null) {
            usage(SidecarFlag.CONFIG.flag() + " is required (or " + ControlSettings.URL_ENV + " for in-cluster mode)");
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

    private static void usage(String problem) {
        System.err.println("tollgate-sidecar: " + problem);
        System.err.println(SidecarFlag.usage());
        System.exit(2);
    }
}
