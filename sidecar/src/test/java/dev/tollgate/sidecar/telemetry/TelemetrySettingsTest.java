package dev.tollgate.sidecar.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standard OTEL_* variables, read as the OpenTelemetry SDK specification writes them. */
class TelemetrySettingsTest {

    @Test
    void nothingIsExportedWithoutAnEndpoint() {
        TelemetrySettings settings = TelemetrySettings.fromEnv(Map.of(TelemetrySettings.SAMPLER_ARG, "0.1"));

        assertThat(settings.exportsTraces()).isFalse();
        assertThat(settings.exportsUsageEvents()).isFalse();
        assertThat(Telemetry.start(settings, Map.of(), null, DropCounter.NONE).enabled()).isFalse();
    }

    @Test
    void theBaseEndpointGetsEachSignalsPathAndASignalsOwnEndpointIsTakenAsGiven() {
        TelemetrySettings settings = TelemetrySettings.fromEnv(Map.of(
                TelemetrySettings.ENDPOINT, "http://collector.observability:4318",
                TelemetrySettings.LOGS_ENDPOINT, "https://billing.example/otlp/logs"));

        assertThat(settings.tracesEndpoint()).isEqualTo(URI.create("http://collector.observability:4318/v1/traces"));
        assertThat(settings.logsEndpoint()).isEqualTo(URI.create("https://billing.example/otlp/logs"));
        assertThat(settings.samplerRatio()).isEqualTo(1.0);
    }

    @Test
    void samplingIsParentBasedRatioAndUsageEventsCanBeTurnedOff() {
        TelemetrySettings settings = TelemetrySettings.fromEnv(Map.of(
                TelemetrySettings.ENDPOINT, "http://collector:4318",
                TelemetrySettings.SAMPLER, "parentbased_traceidratio",
                TelemetrySettings.SAMPLER_ARG, "0.1",
                TelemetrySettings.LOGS_EXPORTER, "none",
                TelemetrySettings.SERVICE_NAME, "checkout-llm",
                TelemetrySettings.HEADERS, "api-key=s3cr%3Dt,tenant=shop"));

        assertThat(settings.samplerRatio()).isEqualTo(0.1);
        assertThat(settings.exportsTraces()).isTrue();
        assertThat(settings.exportsUsageEvents()).isFalse();
        assertThat(settings.serviceName()).isEqualTo("checkout-llm");
        assertThat(settings.headers()).containsEntry("api-key", "s3cr=t").containsEntry("tenant", "shop");
        assertThat(settings.toString()).doesNotContain("s3cr");
    }

    @Test
    void wrongValuesNameTheVariableAndNeverEchoAHeader() {
        assertThatThrownBy(() -> TelemetrySettings.fromEnv(Map.of(TelemetrySettings.PROTOCOL, "grpc")))
                .hasMessageContaining(TelemetrySettings.PROTOCOL).hasMessageContaining("http/protobuf");
        assertThatThrownBy(() -> TelemetrySettings.fromEnv(Map.of(TelemetrySettings.SAMPLER, "parentbased_traceidratio",
                TelemetrySettings.SAMPLER_ARG, "1.5"))).hasMessageContaining(TelemetrySettings.SAMPLER_ARG);
        assertThatThrownBy(() -> TelemetrySettings.fromEnv(Map.of(TelemetrySettings.ENDPOINT, "collector:4318")))
                .hasMessageContaining(TelemetrySettings.ENDPOINT);
        assertThatThrownBy(() -> TelemetrySettings.fromEnv(Map.of(TelemetrySettings.HEADERS, "Bearer-s3cret")))
                .hasMessageContaining(TelemetrySettings.HEADERS).message().doesNotContain("s3cret");
    }

    @Test
    void theSdkCanBeDisabledWhateverElseIsSet() {
        TelemetrySettings settings = TelemetrySettings.fromEnv(Map.of(TelemetrySettings.ENDPOINT, "http://collector:4318",
                TelemetrySettings.SDK_DISABLED, "true"));

        assertThat(settings.exportsTraces()).isFalse();
        assertThat(settings.exportsUsageEvents()).isFalse();
    }
}
