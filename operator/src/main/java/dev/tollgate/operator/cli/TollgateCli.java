package dev.tollgate.operator.cli;

import dev.tollgate.operator.local.LocalGateway;
import dev.tollgate.operator.local.LocalOptions;
import dev.tollgate.operator.local.ManifestException;
import dev.tollgate.sidecar.SidecarFlag;
import dev.tollgate.operator.runtime.DeliveryServers;
import dev.tollgate.operator.runtime.OperatorApp;
import dev.tollgate.operator.runtime.OperatorOptions;
import dev.tollgate.operator.runtime.PortFlag;
import dev.tollgate.sidecar.telemetry.TelemetryEnv;
import dev.tollgate.sidecar.telemetry.TelemetrySettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code tollgate local DIR [options]} and {@code tollgate operator [options]}. */
public final class TollgateCli {
    static final String USAGE = """
            usage: tollgate local DIR [--port 4000] [--admin-port 9464] [--state PATH] [--max-concurrent N]
                                      [--otlp-endpoint URL] [--trace-sampling RATIO] [--usage-events on|off]
                   tollgate operator [options]

              local DIR        serve the AIRoute, ProviderSecret, SpendKey and Secret manifests in DIR
                               on http://127.0.0.1:PORT/v1, reloading when they change
              --port N         OpenAI-compatible API port (default 4000; 0 = any free port)
              --admin-port N   /metrics, /healthz and /readyz port (default 9464)
              --state PATH     where spend, generated tokens and usage lines are kept (default DIR/.tollgate)
              --max-concurrent N
                               requests served at once, streams included; more get 503 (default 4096)
              --otlp-endpoint URL    OpenTelemetry Collector (OTLP/HTTP) for traces and usage events
                                     (default: the OTEL_* variables, else none)
              --trace-sampling RATIO share of new traces recorded, 0 to 1 (default 1.0)
              --usage-events on|off  usage lines also leave as OTLP log records (default on)
              operator         run the in-cluster operator; `tollgate operator --help` lists its options
            """;

    private TollgateCli() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs a command; for {@code local} that is until the process is stopped. Returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(USAGE);
            return 0;
        }
        if (args.length > 0 && args[0].equals("operator")) {
            return runOperator(List.of(args).subList(1, args.length), System.getenv(), out, err);
        }
        LocalOptions options;
        try {
            options = parseLocal(args);
        } catch (UsageException e) {
            err.println("tollgate: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        LocalGateway gateway;
        try {
            gateway = LocalGateway.start(options, out);
        } catch (ManifestException | RuntimeException e) {
            err.println("tollgate local: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "tollgate-shutdown"));
        out.println("tollgate local: ready; Ctrl-C stops and saves spend");
        out.flush();
        return serveUntilStopped();
    }

    /** {@code tollgate operator [options]}: runs until SIGTERM, then stops reconcilers and servers cleanly. */
    static int runOperator(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.equals(List.of("--help")) || args.equals(List.of("-h"))) {
            out.print(OperatorOptions.USAGE);
            return 0;
        }
        OperatorOptions options;
        try {
            options = OperatorOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("tollgate operator: " + e.getMessage());
            err.print(OperatorOptions.USAGE);
            return 2;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorApp app;
        try {
            app = OperatorApp.start(options, client, List.of(new DeliveryServers()));
        } catch (Exception e) {
            err.println("tollgate operator: cannot start: " + e.getMessage());
            client.close();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            client.close();
        }, "tollgate-shutdown"));
        out.println("tollgate operator: running as " + options.identity() + "; health and metrics on :" + app.healthPort());
        out.flush();
        return serveUntilStopped();
    }

    /** Blocks the main thread until the process is stopped; the shutdown hook does the closing. */
    private static int serveUntilStopped() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static LocalOptions parseLocal(String[] args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("a command is required");
        }
        if (!args[0].equals("local")) {
            throw new UsageException("unknown command '" + args[0] + "'");
        }
        if (args.length < 2 || args[1].startsWith("--")) {
            throw new UsageException("local needs the manifest directory, e.g. tollgate local examples/local");
        }
        Path dir = Path.of(args[1]);
        if (!Files.isDirectory(dir)) {
            throw new UsageException(dir + " is not a directory");
        }
        LocalOptions options = LocalOptions.defaults(dir);
        String otlpEndpoint = null;
        String traceSampling = "1.0";
        String usageEvents = "on";
        for (int i = 2; i < args.length; i += 2) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new UsageException(flag + " needs a value");
            }
            String value = args[i + 1];
            if (flag.equals(SidecarFlag.MAX_CONCURRENT.flag())) {
                // The sidecar's own flag, as local mode runs one.
                options = options.withMaxConcurrent(positive(flag, value));
                continue;
            }
            options = switch (flag) {
                case "--port" -> options.withPorts(port(flag, value), options.adminPort());
                case "--admin-port" -> options.withPorts(options.proxyPort(), port(flag, value));
                case "--state" -> options.withStateDir(Path.of(value));
                case "--otlp-endpoint" -> {
                    otlpEndpoint = value;
                    yield options;
                }
                case "--trace-sampling" -> {
                    traceSampling = value;
                    yield options;
                }
                case "--usage-events" -> {
                    usageEvents = value;
                    yield options;
                }
                default -> throw new UsageException("unknown option '" + flag + "'");
            };
        }
        return withTelemetry(options, otlpEndpoint, traceSampling, usageEvents);
    }

    /** The telemetry flags become the OTEL_* variables the gateway reads, over the process's own. */
    private static LocalOptions withTelemetry(LocalOptions options, String endpoint, String traceSampling, String usageEvents)
            throws UsageException {
        Map<String, String> env = new HashMap<>(options.env());
        try {
            env.putAll(TelemetryEnv.of(endpoint, TelemetrySettings.HTTP_PROTOBUF, traceSampling, usageEvents));
            TelemetrySettings.fromEnv(env);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return options.withEnv(env);
    }

    private static int port(String flag, String value) throws UsageException {
        try {
            return PortFlag.parse(flag, value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static int positive(String flag, String value) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new UsageException(flag + " needs a number of at least 1, not '" + value + "'");
    }

    /** The command line is wrong; the message says how. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
