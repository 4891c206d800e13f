package dev.tollgate.sidecar.config;

/** A configuration that cannot be used; the message names the bad field. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
