package dev.tollgate.operator.runtime;

import dev.tollgate.operator.webhook.InjectionSettings;
import dev.tollgate.operator.webhook.NativeSidecarMode;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.Durations;
import dev.tollgate.sidecar.telemetry.TelemetryEnv;
import dev.tollgate.sidecar.telemetry.TelemetrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Settings of {@code tollgate operator}: each from its flag, else its environment variable (what
 * the chart sets), else the default.
 *
 * @param namespace        the operator's own namespace: leader-election Lease, TLS Secret ({@code TOLLGATE_NAMESPACE})
 * @param serviceName      the operator's Service, the sidecars' control address ({@code TOLLGATE_SERVICE_NAME})
 * @param identity         this replica's name in the Lease and in events ({@code POD_NAME}, else {@code HOSTNAME})
 * @param sidecarImage     image the webhook injects ({@code TOLLGATE_SIDECAR_IMAGE}); null when not set
 * @param sidecarResources resources of the injected sidecar container
 * @param sidecarPorts     where the injected sidecar listens (the apps' base URLs and the metrics scrape follow)
 * @param sidecarMaxConcurrent requests each injected sidecar serves at once, streams included ({@code --max-concurrent})
 * @param sidecarTelemetry the OTEL_* variables injected sidecars export traces and usage events by; empty: none
 * @param webhookName      the MutatingWebhookConfiguration whose caBundle the operator keeps current
 * @param tlsSecretName    Secret holding the CA and serving certificate shared by the replicas
 * @param bindAddress      address the operator's ports listen on
 * @param healthPort       {@code /healthz}, {@code /readyz}, {@code /metrics}
 * @param controlPort      control API for sidecars (HTTPS)
 * @param webhookPort      admission webhook (HTTPS)
 * @param leaderElection   whether reconcilers wait for the Lease (off only for a single replica run by hand)
 * @param nativeSidecars   how the webhook injects the sidecar: by the cluster's version, always or never native
 * @param shutdownDrain    how long {@code /readyz} fails before the ports close, so the Service stops routing here first
 * @param priceCatalog     the platform's price overrides ({@code PriceCatalogFile}); null when there are none
 */
public record OperatorOptions(
        String namespace,
        String serviceName,
        String identity,
        String sidecarImage,
        SidecarResources sidecarResources,
        SidecarPorts sidecarPorts,
        int sidecarMaxConcurrent,
        Map<String, String> sidecarTelemetry,
        String webhookName,
        String tlsSecretName,
        String bindAddress,
        int healthPort,
        int controlPort,
        int webhookPort,
        boolean leaderElection,
        NativeSidecarMode nativeSidecars,
        Duration shutdownDrain,
        Path priceCatalog) {

    public static final String LEASE_NAME = "tollgate-operator";

    public static final String USAGE = """
            usage: tollgate operator [options]

              --namespace NS              the operator's namespace (env TOLLGATE_NAMESPACE; default tollgate-system)
              --service-name NAME         the operator's Service (env TOLLGATE_SERVICE_NAME; default tollgate-operator)
              --sidecar-image IMAGE       sidecar image to inject (env TOLLGATE_SIDECAR_IMAGE)
              --sidecar-cpu-request Q     injected sidecar's CPU request (env TOLLGATE_SIDECAR_CPU_REQUEST; default 50m)
              --sidecar-memory-request Q  memory request (env TOLLGATE_SIDECAR_MEMORY_REQUEST; default 128Mi)
              --sidecar-cpu-limit Q       CPU limit (env TOLLGATE_SIDECAR_CPU_LIMIT; default none)
              --sidecar-memory-limit Q    memory limit (env TOLLGATE_SIDECAR_MEMORY_LIMIT; default 192Mi)
              --sidecar-port N            injected sidecar's API port, the apps' base URLs (default 4000)
              --sidecar-admin-port N      its /metrics, /healthz, /readyz port (default 9464)
              --sidecar-max-concurrent N  requests each injected sidecar serves at once, streams included; more
                                          get 503 (env TOLLGATE_SIDECAR_MAX_CONCURRENT; default 4096)
              --sidecar-otlp-endpoint URL OpenTelemetry Collector (OTLP/HTTP) injected sidecars export traces and
                                          usage events to (env TOLLGATE_SIDECAR_OTLP_ENDPOINT; default none: off)
              --sidecar-otlp-protocol P   OTLP protocol (env TOLLGATE_SIDECAR_OTLP_PROTOCOL; default http/protobuf)
              --sidecar-trace-sampling R  share of new traces recorded, 0 to 1; a caller's decision is followed
                                          (env TOLLGATE_SIDECAR_TRACE_SAMPLING; default 1.0)
              --sidecar-usage-events M    on or off: usage lines also leave as OTLP log records
                                          (env TOLLGATE_SIDECAR_USAGE_EVENTS; default on)
              --webhook-name NAME         MutatingWebhookConfiguration (default tollgate-sidecar-injector)
              --tls-secret NAME           Secret for the CA and serving certificate (default tollgate-operator-tls)
              --bind ADDRESS              address to listen on (default 0.0.0.0)
              --health-port N             /healthz, /readyz, /metrics (default 8080)
              --control-port N            control API for sidecars (default 8443)
              --webhook-port N            admission webhook (default 9443)
              --no-leader-election        reconcile without the tollgate-operator Lease (one replica only)
              --native-sidecars MODE      auto (by the cluster's version), on or off: inject the sidecar as a
                                          native sidecar (env TOLLGATE_NATIVE_SIDECARS; default auto)
              --shutdown-drain DURATION   on shutdown, /readyz fails this long before the ports close
                                          (env TOLLGATE_SHUTDOWN_DRAIN; default 5s)
              --price-catalog FILE        price overrides, YAML: pricing: [{model, input, output, ...}] in USD
                                          per 1M tokens, as an AIRoute's pricing (env TOLLGATE_PRICE_CATALOG)
            """;

    /** Container resources of the injected sidecar, as Kubernetes quantities; null means not set. */
    public record SidecarResources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
    }

    /** The injected sidecar's ports: the OpenAI/Anthropic API the apps call, and metrics and probes. */
    public record SidecarPorts(int proxy, int admin) {
    }

    /** @throws IllegalArgumentException naming the flag that is wrong */
    public static OperatorOptions parse(List<String> args, Map<String, String> env) {
        Deque<String> rest = new ArrayDeque<>(args);
        Settings s = new Settings(env);
        while (!rest.isEmpty()) {
            String flag = rest.removeFirst();
            if (flag.equals("--no-leader-election")) {
                s.leaderElection = false;
                continue;
            }
            if (rest.isEmpty() || rest.peekFirst().startsWith("--")) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = rest.removeFirst();
            switch (flag) {
                case "--namespace" -> s.namespace = value;
                case "--service-name" -> s.serviceName = value;
                case "--sidecar-image" -> s.sidecarImage = value;
                case "--sidecar-cpu-request" -> s.cpuRequest = value;
                case "--sidecar-memory-request" -> s.memoryRequest = value;
                case "--sidecar-cpu-limit" -> s.cpuLimit = value;
                case "--sidecar-memory-limit" -> s.memoryLimit = value;
                case "--sidecar-port" -> s.sidecarPort = PortFlag.parseFixed(flag, value);
                case "--sidecar-admin-port" -> s.sidecarAdminPort = PortFlag.parseFixed(flag, value);
                case "--sidecar-max-concurrent" -> s.sidecarMaxConcurrent = value;
                case "--sidecar-otlp-endpoint" -> s.otlpEndpoint = value;
                case "--sidecar-otlp-protocol" -> s.otlpProtocol = value;
                case "--sidecar-trace-sampling" -> s.traceSampling = value;
                case "--sidecar-usage-events" -> s.usageEvents = value;
                case "--webhook-name" -> s.webhookName = value;
                case "--tls-secret" -> s.tlsSecretName = value;
                case "--bind" -> s.bindAddress = value;
                case "--health-port" -> s.healthPort = PortFlag.parse(flag, value);
                case "--control-port" -> s.controlPort = PortFlag.parse(flag, value);
                case "--webhook-port" -> s.webhookPort = PortFlag.parse(flag, value);
                case "--shutdown-drain" -> s.shutdownDrain = value;
                case "--native-sidecars" -> s.nativeSidecars = NativeSidecarMode.parse(value);
                case "--price-catalog" -> s.priceCatalog = value;
                default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
        }
        return s.build();
    }

    /** Values being collected: env and defaults first, flags over them. */
    private static final class Settings {
        String namespace;
        String serviceName;
        String identity;
        String sidecarImage;
        String cpuRequest;
        String memoryRequest;
        String cpuLimit;
        String memoryLimit;
        int sidecarPort = InjectionSettings.DEFAULT_PROXY_PORT;
        int sidecarAdminPort = InjectionSettings.DEFAULT_ADMIN_PORT;
        String sidecarMaxConcurrent;
        String otlpEndpoint;
        String otlpProtocol;
        String traceSampling;
        String usageEvents;
        String webhookName = "tollgate-sidecar-injector";
        String tlsSecretName = "tollgate-operator-tls";
        String bindAddress = "0.0.0.0";
        int healthPort = 8080;
        int controlPort = 8443;
        int webhookPort = 9443;
        boolean leaderElection = true;
        String shutdownDrain;
        NativeSidecarMode nativeSidecars;
        String priceCatalog;

        Settings(Map<String, String> env) {
            namespace = env.getOrDefault("TOLLGATE_NAMESPACE", "tollgate-system");
            serviceName = env.getOrDefault("TOLLGATE_SERVICE_NAME", "tollgate-operator");
            identity = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "tollgate-operator"));
            sidecarImage = env.get("TOLLGATE_SIDECAR_IMAGE");
            cpuRequest = env.getOrDefault("TOLLGATE_SIDECAR_CPU_REQUEST", InjectionSettings.DEFAULT_CPU_REQUEST);
            memoryRequest = env.getOrDefault("TOLLGATE_SIDECAR_MEMORY_REQUEST", InjectionSettings.DEFAULT_MEMORY_REQUEST);
            cpuLimit = env.get("TOLLGATE_SIDECAR_CPU_LIMIT");
            memoryLimit = env.getOrDefault("TOLLGATE_SIDECAR_MEMORY_LIMIT", InjectionSettings.DEFAULT_MEMORY_LIMIT);
            sidecarMaxConcurrent = env.getOrDefault("TOLLGATE_SIDECAR_MAX_CONCURRENT",
                    Integer.toString(SidecarSettings.DEFAULT_MAX_CONCURRENT));
            otlpEndpoint = env.get("TOLLGATE_SIDECAR_OTLP_ENDPOINT");
            otlpProtocol = env.getOrDefault("TOLLGATE_SIDECAR_OTLP_PROTOCOL", TelemetrySettings.HTTP_PROTOBUF);
            traceSampling = env.getOrDefault("TOLLGATE_SIDECAR_TRACE_SAMPLING", "1.0");
            usageEvents = env.getOrDefault("TOLLGATE_SIDECAR_USAGE_EVENTS", "on");
            shutdownDrain = env.getOrDefault("TOLLGATE_SHUTDOWN_DRAIN", "5s");
            nativeSidecars = NativeSidecarMode.parse(env.getOrDefault("TOLLGATE_NATIVE_SIDECARS", "auto"));
            priceCatalog = env.get("TOLLGATE_PRICE_CATALOG");
        }

        OperatorOptions build() {
            return new OperatorOptions(namespace, serviceName, identity, sidecarImage,
                    new SidecarResources(cpuRequest, memoryRequest, cpuLimit, memoryLimit),
                    sidecarPorts(), maxConcurrent(), sidecarTelemetry(), webhookName, tlsSecretName,
                    bindAddress, healthPort, controlPort, webhookPort, leaderElection, nativeSidecars, drain(),
                    priceCatalog == null || priceCatalog.isBlank() ? null : Path.of(priceCatalog));
        }

        /** Checked here as the sidecars will read it: a wrong value fails the operator, not every injected pod. */
        private Map<String, String> sidecarTelemetry() {
            try {
                return TelemetryEnv.of(otlpEndpoint, otlpProtocol, traceSampling, usageEvents);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sidecar telemetry (--sidecar-otlp-*, --sidecar-trace-sampling, "
                        + "--sidecar-usage-events): " + e.getMessage());
            }
        }

        /** Checked here: the webhook would refuse them only after the certificates and the control API started. */
        private SidecarPorts sidecarPorts() {
            if (sidecarPort == sidecarAdminPort) {
                throw new IllegalArgumentException("--sidecar-port and --sidecar-admin-port must differ, both are " + sidecarPort);
            }
            return new SidecarPorts(sidecarPort, sidecarAdminPort);
        }

        private int maxConcurrent() {
            try {
                int n = Integer.parseInt(sidecarMaxConcurrent);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new IllegalArgumentException("--sidecar-max-concurrent needs a number of at least 1, not '"
                    + sidecarMaxConcurrent + "'");
        }

        private Duration drain() {
            try {
                return Duration.ofMillis(Durations.toMillis(shutdownDrain, "--shutdown-drain"));
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
    }
}
