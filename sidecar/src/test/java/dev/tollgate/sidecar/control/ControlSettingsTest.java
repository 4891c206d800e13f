package dev.tollgate.sidecar.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The env the webhook injects, read as the in-cluster sidecar reads it. */
class ControlSettingsTest {
    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @Test
    void readsTheInjectedEnvWithTheDocumentedDefaults() {
        ControlSettings settings = ControlSettings.fromEnv(Map.of(
                "TOLLGATE_CONTROL_URL", "https://tollgate-operator.tollgate-system.svc:8443",
                "TOLLGATE_CONTROL_CA", CA));

        assertThat(settings.controlUrl().getHost()).isEqualTo("tollgate-operator.tollgate-system.svc");
        assertThat(settings.caPem()).isEqualTo(CA);
        assertThat(settings.tokenFile()).isEqualTo(Path.of("/var/run/secrets/tollgate.dev/serviceaccount/token"));
        assertThat(settings.stateDir()).isEqualTo(Path.of("/var/run/tollgate"));
        assertThat(settings.toString()).doesNotContain("MIIB");
    }

    @Test
    void aMissingCaOrAPlainHttpUrlIsRefusedByName() {
        assertThatThrownBy(() -> ControlSettings.fromEnv(Map.of("TOLLGATE_CONTROL_URL", "https://operator:8443")))
                .hasMessage("TOLLGATE_CONTROL_CA is required in in-cluster mode");
        assertThatThrownBy(() -> ControlSettings.fromEnv(Map.of("TOLLGATE_CONTROL_URL", "http://operator:8443", "TOLLGATE_CONTROL_CA", CA)))
                .hasMessage("TOLLGATE_CONTROL_URL must be an https:// URL");
        assertThatThrownBy(() -> CaTrust.sslContext("not a certificate")).isInstanceOf(IllegalArgumentException.class);
    }
}
