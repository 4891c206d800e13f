package dev.tollgate.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.operator.webhook.NativeSidecarMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorOptionsTest {

    @Test
    void defaultsFitTheChart() {
        OperatorOptions options = OperatorOptions.parse(List.of(), Map.of());

        assertThat(options.namespace()).isEqualTo("tollgate-system");
        assertThat(options.serviceName()).isEqualTo("tollgate-operator");
        assertThat(options.webhookName()).isEqualTo("tollgate-sidecar-injector");
        assertThat(options.tlsSecretName()).isEqualTo("tollgate-operator-tls");
        assertThat(List.of(options.healthPort(), options.controlPort(), options.webhookPort())).containsExactly(8080, 8443, 9443);
        assertThat(options.leaderElection()).isTrue();
        assertThat(options.sidecarImage()).isNull();
        assertThat(options.shutdownDrain()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.nativeSidecars()).isEqualTo(NativeSidecarMode.AUTO);
        assertThat(options.priceCatalog()).isNull();
        assertThat(options.sidecarPorts()).isEqualTo(new OperatorOptions.SidecarPorts(4000, 9464));
        assertThat(options.sidecarMaxConcurrent()).isEqualTo(4096);
    }

    @Test
    void theInjectedSidecarsConcurrencyLimitIsAFlagOrAnEnvironmentVariable() {
        assertThat(OperatorOptions.parse(List.of("--sidecar-max-concurrent", "10000"), Map.of()).sidecarMaxConcurrent())
                .isEqualTo(10_000);
        assertThat(OperatorOptions.parse(List.of(), Map.of("TOLLGATE_SIDECAR_MAX_CONCURRENT", "2048")).sidecarMaxConcurrent())
                .isEqualTo(2048);
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--sidecar-max-concurrent", "0"), Map.of()))
                .hasMessage("--sidecar-max-concurrent needs a number of at least 1, not '0'");
    }

    @Test
    void sidecarPortsAreFlags() {
        assertThat(OperatorOptions.parse(List.of("--sidecar-port", "4100", "--sidecar-admin-port", "9500"), Map.of()).sidecarPorts())
                .isEqualTo(new OperatorOptions.SidecarPorts(4100, 9500));
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--sidecar-port", "70000"), Map.of()))
                .hasMessage("--sidecar-port needs a port number from 1 to 65535, not '70000'");
        // Apps and Prometheus are told these ports: "any free port" cannot be one.
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--sidecar-admin-port", "0"), Map.of()))
                .hasMessage("--sidecar-admin-port needs a port number from 1 to 65535, not '0'");
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--sidecar-port", "9464"), Map.of()))
                .hasMessage("--sidecar-port and --sidecar-admin-port must differ, both are 9464");
    }

    @Test
    void priceCatalogIsAFileFromTheFlagOrTheEnvironment() {
        assertThat(OperatorOptions.parse(List.of("--price-catalog", "/etc/tollgate/prices/prices.yaml"), Map.of()).priceCatalog())
                .isEqualTo(Path.of("/etc/tollgate/prices/prices.yaml"));
        assertThat(OperatorOptions.parse(List.of(), Map.of("TOLLGATE_PRICE_CATALOG", "/prices.yaml")).priceCatalog())
                .isEqualTo(Path.of("/prices.yaml"));
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--price-catalog"), Map.of()))
                .hasMessage("--price-catalog needs a value");
    }

    @Test
    void nativeSidecarsAreAutoOnOrOffAndNothingElse() {
        assertThat(OperatorOptions.parse(List.of("--native-sidecars", "off"), Map.of()).nativeSidecars())
                .isEqualTo(NativeSidecarMode.OFF);
        assertThat(OperatorOptions.parse(List.of(), Map.of("TOLLGATE_NATIVE_SIDECARS", "on")).nativeSidecars())
                .isEqualTo(NativeSidecarMode.ON);
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--native-sidecars", "maybe"), Map.of()))
                .hasMessageContaining("auto, on or off");
    }

    @Test
    void sidecarTelemetryIsOffWithoutAnEndpointAndBecomesTheStandardVariables() {
        assertThat(OperatorOptions.parse(List.of(), Map.of()).sidecarTelemetry()).isEmpty();
        OperatorOptions options = OperatorOptions.parse(List.of("--sidecar-trace-sampling", "0.25"),
                Map.of("TOLLGATE_SIDECAR_OTLP_ENDPOINT", "http://otel-collector.observability:4318",
                        "TOLLGATE_SIDECAR_USAGE_EVENTS", "off"));

        assertThat(options.sidecarTelemetry()).containsExactly(
                Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4318"),
                Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                Map.entry("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                Map.entry("OTEL_TRACES_SAMPLER_ARG", "0.25"),
                Map.entry("OTEL_LOGS_EXPORTER", "none"));
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--sidecar-otlp-endpoint", "http://collector:4318",
                "--sidecar-trace-sampling", "10%"), Map.of())).hasMessageContaining("--sidecar-trace-sampling");
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--sidecar-otlp-endpoint", "http://collector:4318",
                "--sidecar-otlp-protocol", "grpc"), Map.of())).hasMessageContaining("http/protobuf");
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsDefaults() {
        OperatorOptions options = OperatorOptions.parse(
                List.of("--namespace", "gateway", "--sidecar-memory-limit", "512Mi", "--no-leader-election"),
                Map.of("TOLLGATE_NAMESPACE", "from-env", "TOLLGATE_SIDECAR_IMAGE", "registry.example/tollgate-sidecar:1.2.3",
                        "TOLLGATE_SIDECAR_CPU_REQUEST", "100m", "POD_NAME", "tollgate-operator-7d9f",
                        "TOLLGATE_SHUTDOWN_DRAIN", "10s"));

        assertThat(options.namespace()).isEqualTo("gateway");
        assertThat(options.sidecarImage()).isEqualTo("registry.example/tollgate-sidecar:1.2.3");
        assertThat(options.sidecarResources())
                .isEqualTo(new OperatorOptions.SidecarResources("100m", "128Mi", null, "512Mi"));
        assertThat(options.identity()).isEqualTo("tollgate-operator-7d9f");
        assertThat(options.leaderElection()).isFalse();
        assertThat(options.shutdownDrain()).isEqualTo(Duration.ofSeconds(10));
        assertThat(OperatorOptions.parse(List.of("--shutdown-drain", "0s"), Map.of()).shutdownDrain()).isZero();
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--health-port", "http"), Map.of()))
                .hasMessage("--health-port needs a port number from 0 to 65535, not 'http'");
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--namespace"), Map.of()))
                .hasMessage("--namespace needs a value");
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--replicas", "2"), Map.of()))
                .hasMessage("unknown option '--replicas'");
        assertThatThrownBy(() -> OperatorOptions.parse(List.of("--shutdown-drain", "soon"), Map.of()))
                .hasMessage("--shutdown-drain: 'soon' is not a duration like 250ms, 30s or 5m");
    }
}
