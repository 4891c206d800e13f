package dev.tollgate.sidecar.metering;

/**
 * Receives a usage line's fields in their order, nulls left out ({@link UsageLine#write}): the JSON
 * line is one receiver, the OpenTelemetry usage event another, so both carry the same names and values.
 */
public interface UsageFields {
    void text(String name, String value);

    void number(String name, long value);

    void flag(String name, boolean value);

    /** The fields up to {@link #endGroup()} belong to {@code name} (the token counts). */
    void startGroup(String name);

    void endGroup();
}
