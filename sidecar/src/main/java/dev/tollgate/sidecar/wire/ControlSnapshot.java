package dev.tollgate.sidecar.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.config.GatewayConfig;
import java.io.IOException;

/**
 * The control API's answer to {@code GET /v1/snapshot}, {@code {"version":N,"namespace":"...","config":{...}}}:
 * one namespace's configuration at one version. The operator writes it, the sidecar reads it and
 * keeps it as {@code snapshot.json}. Its provider keys are never printed.
 */
public record ControlSnapshot(long version, String namespace, GatewayConfig config) {

    public byte[] toJson() {
        try {
            return ConfigJson.MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates; throws {@link ConfigException} saying what is wrong. */
    public static ControlSnapshot parse(byte[] json) {
        JsonNode tree;
        try {
            tree = ConfigJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ConfigException("snapshot is not valid JSON", e);
        }
        if (tree == null || !tree.path("version").canConvertToExactIntegral() || !tree.path("namespace").isTextual()
                || !tree.path("config").isObject()) {
            throw new ConfigException("snapshot needs a numeric version, a namespace and a config object");
        }
        try {
            GatewayConfig config = ConfigJson.read(ConfigJson.MAPPER.writeValueAsBytes(tree.get("config")));
            return new ControlSnapshot(tree.get("version").longValue(), tree.get("namespace").textValue(), config);
        } catch (JsonProcessingException e) {
            throw new ConfigException("snapshot config cannot be read", e);
        }
    }

    @Override
    public String toString() {
        return "ControlSnapshot[namespace=" + namespace + ", version=" + version + ", " + config.routes().size() + " routes, "
                + config.providers().size() + " providers]";
    }
}
