package dev.tollgate.sidecar.spend;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** The in-process lease of a key without a budget: everything fits. */
final class UnlimitedBudget implements BudgetLease {
    static final UnlimitedBudget INSTANCE = new UnlimitedBudget();

    private UnlimitedBudget() {
    }

    @Override
    public Shortfall tryReserve(long micros, long tokens) {
        return Shortfall.NONE;
    }

    @Override
    public void settle(long reservedMicros, long reservedTokens, long actualMicros, long inputTokens, long outputTokens,
                       Instant at) {
        // Nothing to track: the key's ledger records what was spent.
    }

    @Override
    public void cancel(long reservedMicros, long reservedTokens) {
        // Nothing was set aside.
    }

    @Override
    public long remainingMicros() {
        return Long.MAX_VALUE;
    }

    @Override
    public CompletableFuture<Boolean> whenMore(long micros, long tokens, LeaseWait wait) {
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public void retire() {
        // Nothing is held.
    }
}
