package dev.tollgate.sidecar;

import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.config.GatewayConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code java -jar tollgate-sidecar.jar --config FILE.json [--port N] [--admin-port N] [--usage-log FILE]}.
 * Identity comes from the pod's environment (POD_NAMESPACE, POD_NAME, TOLLGATE_WORKLOAD,
 * TOLLGATE_DEFAULT_SPEND_KEY).
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
        if (configFile == null) {
            usage("--config is required");
        }
        Map<String, String> env = System.getenv();
        settings = settings.withIdentity(env.getOrDefault("POD_NAMESPACE", settings.namespace()),
                        env.getOrDefault("POD_NAME", settings.pod()), env.getOrDefault("TOLLGATE_WORKLOAD", settings.workload()),
                        settings.podLabels())
                .withDefaultSpendKey(env.get("TOLLGATE_DEFAULT_SPEND_KEY"));
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
