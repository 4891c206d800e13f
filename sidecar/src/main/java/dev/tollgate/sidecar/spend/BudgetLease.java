package dev.tollgate.sidecar.spend;

/**
 * The part of a spend key's budget this sidecar may spend without asking anyone. Locally it is the
 * whole remaining budget of the period; with the operator it is a slice granted for a short time.
 * Implementations are thread-safe.
 */
public interface BudgetLease {
    /** Sets {@code micros} aside for one request if they fit; false (and nothing changes) if they do not. */
    boolean tryReserve(long micros);

    /** Replaces a reservation by the actual cost, which may exceed it when the estimate was low. */
    void settle(long reservedMicros, long actualMicros);

    /** What is left to reserve; never negative. */
    long remainingMicros();
}
