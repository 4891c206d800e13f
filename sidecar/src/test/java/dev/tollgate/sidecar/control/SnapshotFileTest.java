package dev.tollgate.sidecar.control;

import dev.tollgate.sidecar.wire.ControlSnapshot;
import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kept snapshot (snapshot.json) and the wire form it shares with the control API. */
class SnapshotFileTest {
    @TempDir
    Path dir;

    private static GatewayConfig configWithAKey() {
        ProviderConfig openAi = new ProviderConfig("team-a/openai", "openai", null, Configs.PROVIDER_KEY, null, null, null, null);
        return config(List.of(openAi), List.of(route("team-a/chat", List.of("chat"), backend("team-a/openai", "gpt-4o-mini", 0))),
                List.of());
    }

    @Test
    void aWrittenSnapshotReadsBackTheSameAndOnlyItsOwnerCanReadIt() throws Exception {
        SnapshotFile file = new SnapshotFile(dir);
        ControlSnapshot snapshot = new ControlSnapshot(1_795_617_515_285L, "team-a", configWithAKey());

        file.write(snapshot);

        assertThat(file.read()).contains(snapshot);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("snapshot.json")))).isEqualTo("rw-------");
        assertThat(snapshot.toString()).doesNotContain(Configs.PROVIDER_KEY);
    }

    @Test
    void noFileIsNoSnapshotAndABrokenFileSaysWhatIsWrong() throws Exception {
        SnapshotFile file = new SnapshotFile(dir);
        assertThat(file.read()).isEmpty();

        Files.writeString(dir.resolve("snapshot.json"), "{\"version\":\"new\",\"config\":{}}");
        assertThatThrownBy(file::read).isInstanceOf(ConfigException.class).hasMessageContaining("numeric version");

        Files.writeString(dir.resolve("snapshot.json"), "{\"version\":3,\"namespace\":\"team-a\",\"config\":{\"routes\":"
                + "[{\"name\":\"r\",\"models\":[\"chat\"],\"backends\":[{\"provider\":\"team-a/gone\"}]}]}}");
        assertThatThrownBy(file::read).isInstanceOf(ConfigException.class).hasMessageContaining("unknown provider 'team-a/gone'");
    }

    @Test
    void aSidecarStartedFromAFileSaysSoInReadyz() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(configWithAKey())) {
            var answer = sidecar.get(sidecar.adminUrl() + "/readyz");

            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(answer.body());
            assertThat(body.path("ready").asBoolean()).isTrue();
            assertThat(body.path("config").path("source").asText()).isEqualTo("file");
            assertThat(body.path("config").has("operatorReachable")).isFalse();
        }
    }
}
