package dev.tollgate.operator.api;

/** Patterns the API server checks at admission, shared by the resources' fields. */
final class Formats {
    /** USD as a decimal string with at most micro-dollar precision: "12.50", "0.000150". */
    static final String MONEY = "^[0-9]+(\\.[0-9]{1,6})?$";
    /** Kubernetes-style durations: 250ms, 30s, 5m, 1h, 1m30s. */
    static final String DURATION = "^([0-9]+(ms|s|m|h))+$";
    /** A model name apps send; a trailing * makes it a prefix. */
    static final String MODEL_NAME = "^[^*]+\\*?$";
    /** RFC 3339 timestamp, e.g. 2026-12-31T00:00:00Z. */
    static final String TIMESTAMP = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

    private Formats() {
    }
}
