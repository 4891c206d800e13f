package dev.tollgate.sidecar;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The sidecar's command-line flags, each spelled here once: {@link SidecarMain} parses them and
 * prints their usage from this table, and the operator's webhook writes them into the injected
 * container's args.
 */
public enum SidecarFlag {
    CONFIG("--config", "FILE.json", "the configuration; without it, in-cluster mode (TOLLGATE_CONTROL_URL)"),
    PORT("--port", "N", "the OpenAI/Anthropic API's port (default 4000)"),
    ADMIN_PORT("--admin-port", "N", "/metrics, /healthz, /readyz (default 9464)"),
    USAGE_LOG("--usage-log", "FILE", "append usage lines to FILE (default stdout)"),
    MAX_CONCURRENT("--max-concurrent", "N", "requests served at once, streams included; more get 503 (default "
            + SidecarSettings.DEFAULT_MAX_CONCURRENT + ")");

    private final String flag;
    private final String value;
    private final String help;

    SidecarFlag(String flag, String value, String help) {
        this.flag = flag;
        this.value = value;
        this.help = help;
    }

    public String flag() {
        return flag;
    }

    public static Optional<SidecarFlag> of(String flag) {
        return Arrays.stream(values()).filter(f -> f.flag.equals(flag)).findFirst();
    }

    /** One line per flag, aligned, under the command. */
    static String usage() {
        return "usage: java -jar tollgate-sidecar.jar [options]\n" + Arrays.stream(values())
                .map(f -> String.format("  %-26s %s", f.flag + " " + f.value, f.help))
                .collect(Collectors.joining("\n"));
    }
}
