package dev.tollgate.sidecar.telemetry;

/** What is exported; the wire name labels {@code tollgate_telemetry_dropped_total}. */
public enum Signal {
    TRACES("traces"),
    USAGE_EVENTS("usage_events");

    private final String wireName;

    Signal(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
