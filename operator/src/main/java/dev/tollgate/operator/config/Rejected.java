package dev.tollgate.operator.config;

/** One object cannot be used; the snapshot leaves it out and reports this reason and message. */
final class Rejected extends Exception {
    private final String reason;

    Rejected(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
