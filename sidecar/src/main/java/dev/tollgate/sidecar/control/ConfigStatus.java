package dev.tollgate.sidecar.control;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Where the running configuration came from and whether the operator can be reached: the body of
 * {@code /readyz} and the control-plane gauges.
 *
 * @param source            "operator", "state-file" (in-cluster mode) or "file" ({@code --config}); null before any
 * @param version           the configuration's version; null before any
 * @param operatorReachable whether the last call to the operator succeeded; null when there is no operator
 * @param lastContact       when the operator last answered; null if never
 * @param reason            why the sidecar is not ready; null when it is
 */
public record ConfigStatus(boolean ready, String source, String version, Boolean operatorReachable, Instant lastContact,
                           String reason) {

    public static ConfigStatus fromFile(String version) {
        return new ConfigStatus(true, "file", version, null, null, null);
    }

    public static ConfigStatus waiting(String reason) {
        return new ConfigStatus(false, null, null, null, null, reason);
    }

    /** The operator's versions are numbers; a hand-written configuration file may use any text (then null). */
    public Long numericVersion() {
        return version != null && version.matches("\\d{1,18}") ? Long.valueOf(version) : null;
    }

    /** {@code {"ready":true,"config":{"source":"operator","version":N,"operatorReachable":true,"lastContact":"..."}}}. */
    public String toJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("ready", ready);
        if (reason != null) {
            body.put("reason", reason);
        }
        ObjectNode config = body.putObject("config");
        if (source != null) {
            config.put("source", source);
        }
        if (numericVersion() != null) {
            config.put("version", numericVersion());
        } else if (version != null) {
            config.put("version", version);
        }
        if (operatorReachable != null) {
            config.put("operatorReachable", operatorReachable);
        }
        if (lastContact != null) {
            config.put("lastContact", lastContact.toString());
        }
        return body.toString();
    }
}
