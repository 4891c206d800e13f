package dev.tollgate.sidecar.spend;

import java.util.concurrent.atomic.AtomicBoolean;

/** An admission backed by a reservation in a {@link KeyAccount}; settles or cancels exactly once. */
final class ReservedAdmission implements Admission {
    private final KeyAccount account;
    private final long reservedMicros;
    private final long estimatedTokens;
    private final AtomicBoolean done = new AtomicBoolean();

    ReservedAdmission(KeyAccount account, long reservedMicros, long estimatedTokens) {
        this.account = account;
        this.reservedMicros = reservedMicros;
        this.estimatedTokens = estimatedTokens;
    }

    @Override
    public void settle(long costMicros, long inputTokens, long outputTokens) {
        if (costMicros < 0 || inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("cost and token counts must be >= 0");
        }
        if (done.compareAndSet(false, true)) {
            account.settle(reservedMicros, estimatedTokens, costMicros, inputTokens, outputTokens);
        }
    }

    @Override
    public void cancel() {
        if (done.compareAndSet(false, true)) {
            account.cancel(reservedMicros, estimatedTokens);
        }
    }
}
