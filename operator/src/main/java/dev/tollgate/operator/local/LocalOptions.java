package dev.tollgate.operator.local;

import dev.tollgate.sidecar.SidecarSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How {@code tollgate local} runs.
 *
 * @param dir          the manifest directory
 * @param proxyPort    OpenAI-compatible API on 127.0.0.1; 0 = any free port
 * @param adminPort    /metrics, /healthz, /readyz on 127.0.0.1; 0 = any free port
 * @param stateDir     spend ledgers, generated tokens and usage lines
 * @param env          source of {@code ${ENV_VAR}} in Secret values
 * @param pollInterval how often the directory is checked for changes
 * @param maxConcurrent requests served at once, streams included; more get 503
 */
public record LocalOptions(Path dir, int proxyPort, int adminPort, Path stateDir, Map<String, String> env,
        Duration pollInterval, int maxConcurrent) {

    public static final int DEFAULT_PORT = 4000;
    public static final int DEFAULT_ADMIN_PORT = 9464;

    public LocalOptions {
        env = Map.copyOf(env);
    }

    /**
     * Ports 4000 and 9464, state in {@code DIR/.tollgate}, the process environment, polling ten times a
     * second (with the gateway's settle time, a finished edit applies within half a second), the
     * sidecar's own concurrency limit.
     */
    public static LocalOptions defaults(Path dir) {
        return new LocalOptions(dir, DEFAULT_PORT, DEFAULT_ADMIN_PORT, dir.resolve(".tollgate"), System.getenv(),
                Duration.ofMillis(100), SidecarSettings.DEFAULT_MAX_CONCURRENT);
    }

    public LocalOptions withPorts(int proxyPort, int adminPort) {
        return new LocalOptions(dir, proxyPort, adminPort, stateDir, env, pollInterval, maxConcurrent);
    }

    public LocalOptions withStateDir(Path stateDir) {
        return new LocalOptions(dir, proxyPort, adminPort, stateDir, env, pollInterval, maxConcurrent);
    }

    public LocalOptions withEnv(Map<String, String> env) {
        return new LocalOptions(dir, proxyPort, adminPort, stateDir, env, pollInterval, maxConcurrent);
    }

    public LocalOptions withMaxConcurrent(int maxConcurrent) {
        return new LocalOptions(dir, proxyPort, adminPort, stateDir, env, pollInterval, maxConcurrent);
    }

    public LocalOptions withPollInterval(Duration pollInterval) {
        return new LocalOptions(dir, proxyPort, adminPort, stateDir, env, pollInterval, maxConcurrent);
    }
}
