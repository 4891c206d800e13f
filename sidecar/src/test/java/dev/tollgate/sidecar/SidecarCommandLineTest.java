package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.SidecarMain.CommandLine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SidecarCommandLineTest {

    @Test
    void theConcurrentRequestLimitDefaultsToThousandsAndIsAFlag() {
        CommandLine defaults = CommandLine.parse(List.of("--config", "c.json"), SidecarSettings.defaults());
        CommandLine raised = CommandLine.parse(List.of("--config", "c.json", "--max-concurrent", "10000"), SidecarSettings.defaults());

        assertThat(defaults.settings().maxConcurrentRequests()).isEqualTo(4096);
        assertThat(raised.settings().maxConcurrentRequests()).isEqualTo(10_000);
        assertThat(raised.settings().maxBodyBytes()).isEqualTo(SidecarSettings.defaults().maxBodyBytes());
        assertThat(raised.configFile()).isEqualTo(Path.of("c.json"));
    }

    @Test
    void everyFlagIsParsed() {
        CommandLine line = CommandLine.parse(List.of("--port", "4100", "--admin-port", "9500", "--usage-log", "u.jsonl",
                "--max-concurrent", "64"), SidecarSettings.defaults());

        assertThat(line.configFile()).isNull();
        assertThat(line.settings().proxyPort()).isEqualTo(4100);
        assertThat(line.settings().adminPort()).isEqualTo(9500);
        assertThat(line.settings().usageLog()).isEqualTo(Path.of("u.jsonl"));
        assertThat(line.settings().maxConcurrentRequests()).isEqualTo(64);
    }

    @Test
    void aWrongFlagOrValueIsNamed() {
        assertThatThrownBy(() -> CommandLine.parse(List.of("--max-concurrent", "0"), SidecarSettings.defaults()))
                .hasMessage("--max-concurrent needs a number of at least 1, not '0'");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--max-concurrent", "many"), SidecarSettings.defaults()))
                .hasMessage("--max-concurrent needs a number of at least 1, not 'many'");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--port"), SidecarSettings.defaults()))
                .hasMessage("--port needs a value");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--max-inflight", "9"), SidecarSettings.defaults()))
                .hasMessage("unknown argument '--max-inflight'");
    }

    @Test
    void theUsageListsEveryFlag() {
        String usage = SidecarFlag.usage();

        for (SidecarFlag flag : SidecarFlag.values()) {
            assertThat(usage).contains("  " + flag.flag() + " ");
        }
        assertThat(usage).contains("default 4096");
    }
}
