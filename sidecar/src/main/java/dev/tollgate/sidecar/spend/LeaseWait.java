package dev.tollgate.sidecar.spend;

/**
 * One request's wait for more budget or rate allowance: when its own wait ends, and when a lease first took its
 * need into what it asks for (a lease that asks the operator waits past the deadline for the answer to a call made
 * after that). Belongs to one request; the lease reads and writes it under its own lock.
 */
public final class LeaseWait {
    final long deadlineNanos;
    /** {@link System#nanoTime()} when a lease first counted this request's need; valid once {@link #asked}. */
    long askedNanos;
    boolean asked;

    /** A wait ending {@code deadlineNanos} ({@link System#nanoTime()}). */
    public LeaseWait(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }
}
