package dev.tollgate.sidecar.routing;

/** The absolute time a request must be done by. */
public record Deadline(long atNanos) {

    public static Deadline in(long millis) {
        return new Deadline(System.nanoTime() + millis * 1_000_000);
    }

    public long remainingMillis() {
        return Math.max(0, (atNanos - System.nanoTime()) / 1_000_000);
    }

    public boolean passed() {
        return System.nanoTime() >= atNanos;
    }
}
