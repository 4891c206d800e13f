package dev.tollgate.sidecar.spend;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole remaining budget of a period, held in process (local and file mode). Lock-free: one counter of
 * what is still available. Nobody else grants more, so a request that does not fit never waits.
 */
final class LocalBudgetLease implements BudgetLease {
    /** limit - spent - reserved; goes below zero only when actual costs exceeded their reservations. */
    private final AtomicLong available;

    /** @param committedMicros spent plus reserved so far in the period */
    LocalBudgetLease(long limitMicros, long committedMicros) {
        this.available = new AtomicLong(limitMicros - committedMicros);
    }

    @Override
    public Shortfall tryReserve(long micros, long tokens) {
        while (true) {
            long now = available.get();
            if (micros > now) {
                return Shortfall.BUDGET;
            }
            if (available.compareAndSet(now, now - micros)) {
                return Shortfall.NONE;
            }
        }
    }

    @Override
    public void settle(long reservedMicros, long reservedTokens, long actualMicros, long inputTokens, long outputTokens,
                       Instant at) {
        available.addAndGet(reservedMicros - actualMicros);
    }

    @Override
    public void cancel(long reservedMicros, long reservedTokens) {
        available.addAndGet(reservedMicros);
    }

    @Override
    public long remainingMicros() {
        return Math.max(0, available.get());
    }

    @Override
    public CompletableFuture<Boolean> whenMore(long micros, long tokens) {
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public void retire() {
        // Nothing is held elsewhere: the budget lives in this process only.
    }
}
