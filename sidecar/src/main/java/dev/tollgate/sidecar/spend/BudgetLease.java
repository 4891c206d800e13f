package dev.tollgate.sidecar.spend;

import java.time.Instant;

/**
 * The part of a spend key's budget (and, with the operator, of its rate limits) this sidecar may use without
 * asking anyone. Locally it is the whole remaining budget of the period; with the operator it is a slice
 * granted for a short time. Implementations are thread-safe.
 */
public interface BudgetLease {
    /** Sets {@code micros} and one request of {@code tokens} aside if they fit; else what fell short (nothing changes). */
    Shortfall tryReserve(long micros, long tokens);

    /** Replaces a reservation by the request's actual cost and tokens; the cost may exceed the reservation. */
    void settle(long reservedMicros, long reservedTokens, long actualMicros, long inputTokens, long outputTokens, Instant at);

    /** Gives a reservation back: the request never reached a provider. */
    void cancel(long reservedMicros, long reservedTokens);

    /** What is left to reserve; never negative; {@link Long#MAX_VALUE} without a budget. */
    long remainingMicros();

    /**
     * After a shortfall: asks for more and waits, until {@code deadlineNanos} ({@link System#nanoTime()}), for
     * something to change. True if a retry may now fit; false if nothing more will come in time.
     */
    boolean awaitMore(long micros, long tokens, long deadlineNanos);

    /**
     * The key left the configuration. A lease from the operator admits nothing more (a request that found the key
     * just before gets {@link Shortfall#RETIRED}) and gives back what it holds once its requests are settled.
     */
    void retire();

    /**
     * Budget set aside beyond the outstanding reservations and recorded on disk as held (local mode), so it counts
     * as spent if the process stops; 0 for leases that keep nothing on disk.
     */
    default long headroomMicros() {
        return 0;
    }

    /** The process stops cleanly with every request settled: nothing beyond the spend is held any more. */
    default void releaseHeadroom() {
    }
}
