package dev.tollgate.operator.cli;

import dev.tollgate.sidecar.telemetry.TelemetrySettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.local.LocalOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TollgateCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void wrongCommandLinesExitWith2AndSayWhatIsWrong() {
        assertThat(run()).isEqualTo(2);
        assertThat(errors()).startsWith("tollgate: a command is required\nusage: tollgate local DIR");

        assertUsageError("unknown command 'serve'", "serve");
        assertUsageError("local needs the manifest directory, e.g. tollgate local examples/local", "local");
        assertUsageError(dir.resolve("nope") + " is not a directory", "local", dir.resolve("nope").toString());
        assertUsageError("--port needs a value", "local", dir.toString(), "--port");
        assertUsageError("--port needs a port number from 0 to 65535, not 'http'", "local", dir.toString(), "--port", "http");
        assertUsageError("--admin-port needs a port number from 0 to 65535, not '70000'",
                "local", dir.toString(), "--admin-port", "70000");
        assertUsageError("unknown option '--verbose'", "local", dir.toString(), "--verbose", "yes");
        assertUsageError("--max-concurrent needs a number of at least 1, not 'all'", "local", dir.toString(),
                "--max-concurrent", "all");
        assertThat(out.size()).isZero();
    }

    @Test
    void helpGoesToStandardOutput() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("tollgate local DIR [--port 4000] [--admin-port 9464] [--state PATH]");
    }

    @Test
    void operatorOptionsAreCheckedBeforeAnyClusterIsContacted() {
        assertThat(TollgateCli.runOperator(List.of("--health-port", "http"), Map.of(), new PrintStream(out),
                new PrintStream(err))).isEqualTo(2);
        assertThat(errors()).startsWith("tollgate operator: --health-port needs a port number from 0 to 65535, not 'http'\n"
                + "usage: tollgate operator [options]");

        assertThat(TollgateCli.runOperator(List.of("--help"), Map.of(), new PrintStream(out), new PrintStream(err))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--no-leader-election");
    }

    @Test
    void optionsOverrideTheDefaults() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));

        LocalOptions defaults = TollgateCli.parseLocal(new String[] {"local", dir.toString()});
        LocalOptions custom = TollgateCli.parseLocal(new String[] {"local", dir.toString(), "--port", "0",
                "--admin-port", "9999", "--state", state.toString(), "--max-concurrent", "64"});

        assertThat(defaults.proxyPort()).isEqualTo(4000);
        assertThat(defaults.adminPort()).isEqualTo(9464);
        assertThat(defaults.stateDir()).isEqualTo(dir.resolve(".tollgate"));
        assertThat(custom.proxyPort()).isZero();
        assertThat(custom.adminPort()).isEqualTo(9999);
        assertThat(custom.stateDir()).isEqualTo(state);
        assertThat(defaults.maxConcurrent()).isEqualTo(4096);
        assertThat(custom.maxConcurrent()).isEqualTo(64);
    }

    @Test
    void telemetryFlagsBecomeTheVariablesTheGatewayReads() throws Exception {
        LocalOptions options = TollgateCli.parseLocal(new String[] {"local", dir.toString(),
                "--otlp-endpoint", "http://127.0.0.1:4318", "--trace-sampling", "0.1", "--usage-events", "off"});

        TelemetrySettings telemetry = TelemetrySettings.fromEnv(options.env());
        assertThat(telemetry.tracesEndpoint()).hasToString("http://127.0.0.1:4318/v1/traces");
        assertThat(telemetry.samplerRatio()).isEqualTo(0.1);
        assertThat(telemetry.exportsUsageEvents()).isFalse();
        assertUsageError("usage events must be on or off, not 'maybe'", "local", dir.toString(),
                "--otlp-endpoint", "http://127.0.0.1:4318", "--usage-events", "maybe");
    }

    @Test
    void aDirectoryThatCannotBeLoadedExitsWith1() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "kind: AIRoute\napiVersion: tollgate.dev/v1alpha1\nmetadata: [\n");

        assertThat(run("local", dir.toString(), "--port", "0", "--admin-port", "0")).isEqualTo(1);
        assertThat(errors()).startsWith("tollgate local: " + dir.resolve("bad.yaml") + ":");
    }

    private void assertUsageError(String message, String... args) {
        err.reset();
        assertThat(run(args)).isEqualTo(2);
        assertThat(errors()).startsWith("tollgate: " + message + "\nusage: ");
    }

    private int run(String... args) {
        return TollgateCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
