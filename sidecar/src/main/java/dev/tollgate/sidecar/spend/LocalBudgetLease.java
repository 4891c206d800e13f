package dev.tollgate.sidecar.spend;

import java.util.concurrent.atomic.AtomicLong;

/** The whole remaining budget of a period, held in process. Lock-free: one counter of what is still available. */
final class LocalBudgetLease implements BudgetLease {
    /** limit - spent - reserved; goes below zero only when actual costs exceeded their reservations. */
    private final AtomicLong available;

    /** @param committedMicros spent plus reserved so far in the period */
    LocalBudgetLease(long limitMicros, long committedMicros) {
        this.available = new AtomicLong(limitMicros - committedMicros);
    }

    @Override
    public boolean tryReserve(long micros) {
        while (true) {
            long now = available.get();
            if (micros > now) {
                return false;
            }
            if (available.compareAndSet(now, now - micros)) {
                return true;
            }
        }
    }

    @Override
    public void settle(long reservedMicros, long actualMicros) {
        available.addAndGet(reservedMicros - actualMicros);
    }

    @Override
    public long remainingMicros() {
        return Math.max(0, available.get());
    }
}
