package dev.tollgate.sidecar.control;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How an in-cluster sidecar reaches the operator, from the env the webhook injects.
 *
 * @param controlUrl e.g. {@code https://tollgate-operator.tollgate-system.svc:8443}
 * @param caPem      the operator's CA certificate, PEM; the only one trusted
 * @param tokenFile  the projected ServiceAccount token (audience tollgate.dev), re-read for every call
 * @param stateDir   where {@code snapshot.json} is kept (an in-memory emptyDir)
 * @param bootstrap  how long the operator is tried at start before the state file is used
 */
public record ControlSettings(URI controlUrl, String caPem, Path tokenFile, Path stateDir, Duration bootstrap) {
    public static final String URL_ENV = "TOLLGATE_CONTROL_URL";
    public static final String CA_ENV = "TOLLGATE_CONTROL_CA";
    public static final String TOKEN_FILE_ENV = "TOLLGATE_TOKEN_FILE";
    public static final String STATE_DIR_ENV = "TOLLGATE_STATE_DIR";
    static final Duration BOOTSTRAP = Duration.ofSeconds(5);

    /** @throws IllegalArgumentException naming the variable that is missing or wrong */
    public static ControlSettings fromEnv(Map<String, String> env) {
        URI url;
        try {
            url = URI.create(required(env, URL_ENV));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL_ENV + " is not a URL: " + e.getMessage(), e);
        }
        if (!"https".equals(url.getScheme())) {
            throw new IllegalArgumentException(URL_ENV + " must be an https:// URL");
        }
        return new ControlSettings(url, required(env, CA_ENV),
                Path.of(env.getOrDefault(TOKEN_FILE_ENV, "/var/run/secrets/tollgate.dev/serviceaccount/token")),
                Path.of(env.getOrDefault(STATE_DIR_ENV, "/var/run/tollgate")), BOOTSTRAP);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required in in-cluster mode");
        }
        return value;
    }

    /** The CA is public, but long: only its length is shown. */
    @Override
    public String toString() {
        return "ControlSettings[" + controlUrl + ", CA " + caPem.length() + " chars, token " + tokenFile + ", state " + stateDir + "]";
    }
}
