package dev.tollgate.sidecar.spend;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

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
     * What the whole key has left as far as this sidecar knows, for a refusal to name: the same as
     * {@link #remainingMicros()} when the lease is the whole budget (local mode).
     */
    default long keyRemainingMicros() {
        return remainingMicros();
    }

    /**
     * After a shortfall: asks for more; completes with true when something changed (a retry may now fit), with
     * false when nothing more will come in time. A lease that asks the operator may wait past the wait's deadline
     * for the answer to a call that carried this request's need. No thread waits for it.
     */
    CompletableFuture<Boolean> whenMore(long micros, long tokens, LeaseWait wait);

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

    /**
     * Lowers what is set aside beyond the reservations to the usual slice, before the ledgers are written again:
     * a burst raised the ceiling to cover its worst cases, and a crash must not count them once they settled.
     */
    default void trimHeadroom() {
    }
}
