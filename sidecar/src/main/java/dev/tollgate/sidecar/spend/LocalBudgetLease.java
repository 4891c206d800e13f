package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.metering.Money;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The whole remaining budget of a period, held in process (local and file mode). Nobody else grants more, so a
 * request that does not fit the budget never waits.
 *
 * <p>With a {@link Recorder} (local mode's state file) no request may use budget a crash could forget: budget
 * is used only up to a ceiling already written as held (spent, should the process stop), and a request that
 * needs more raises the ceiling and writes it first, in {@link #whenMore}, outside the key's lock. The ceiling
 * runs ahead of use by a slice of the budget, so writes are rare; the slice is what a crash costs the key.
 */
final class LocalBudgetLease implements BudgetLease {
    /** Writes every key's ledger, this lease's {@link #headroomMicros()} included. */
    @FunctionalInterface
    interface Recorder {
        void recordHeld() throws IOException;
    }

    /** A raise sets aside this share of the limit beyond the request that asked (or that request again, if larger). */
    private static final long HEADROOM_SHARE = 50;

    private final long limitMicros;
    private final Recorder recorder;
    // Guarded by this.
    /** Spent plus reserved in the period; passes the limit only when actual costs exceeded their reservations. */
    private long committed;
    /** The ceiling written as held: committed never passes it (with a recorder). */
    private long held;
    /** A ceiling being written: ledgers written meanwhile already count it. */
    private long raising;

    /** @param committedMicros spent plus reserved so far in the period; recorder null when nothing is kept on disk */
    LocalBudgetLease(long limitMicros, long committedMicros, Recorder recorder) {
        this.limitMicros = limitMicros;
        this.recorder = recorder;
        this.committed = committedMicros;
        this.held = recorder == null ? Long.MAX_VALUE : committedMicros;
        this.raising = held;
    }

    @Override
    public synchronized Shortfall tryReserve(long micros, long tokens) {
        if (micros > limitMicros - committed || micros > held - committed) {
            return Shortfall.BUDGET;
        }
        committed += micros;
        return Shortfall.NONE;
    }

    @Override
    public synchronized void settle(long reservedMicros, long reservedTokens, long actualMicros, long inputTokens,
                                    long outputTokens, Instant at) {
        committed = Money.saturatedAdd(committed - reservedMicros, actualMicros);
    }

    @Override
    public synchronized void cancel(long reservedMicros, long reservedTokens) {
        committed -= reservedMicros;
    }

    @Override
    public synchronized long remainingMicros() {
        return Math.max(0, limitMicros - committed);
    }

    /**
     * Raises the written ceiling so {@code micros} fit, if the budget has them; false when it has not. The write
     * is local and rare (once per 2% of the budget), so it is done here, on the caller's thread.
     */
    @Override
    public CompletableFuture<Boolean> whenMore(long micros, long tokens, LeaseWait wait) {
        return CompletableFuture.completedFuture(raise(micros));
    }

    private boolean raise(long micros) {
        long target;
        synchronized (this) {
            if (recorder == null || micros > limitMicros - committed) {
                return false;
            }
            if (micros <= held - committed) {
                return true; // another request raised it meanwhile
            }
            long headroom = Math.max(micros, slice());
            target = Math.min(limitMicros, Money.saturatedAdd(committed, Money.saturatedAdd(micros, headroom)));
            raising = Math.max(raising, target);
        }
        try {
            recorder.recordHeld();
        } catch (IOException | RuntimeException e) {
            System.err.println("tollgate: cannot record spend, so no more of it is allowed: " + e.getMessage());
            return false;
        }
        synchronized (this) {
            held = Math.max(held, target);
        }
        return true;
    }

    /** What is held beyond the reservations: the ceiling (or one being written) less spent and reserved. */
    @Override
    public synchronized long headroomMicros() {
        return recorder == null ? 0 : Math.max(0, Math.max(held, raising) - committed);
    }

    /**
     * Only while no raise is being written (its write would carry the higher ceiling): lowering in memory first is
     * safe, since nothing is reserved past the lower ceiling before the write that records it.
     */
    @Override
    public synchronized void trimHeadroom() {
        long ceiling = Money.saturatedAdd(committed, slice());
        if (recorder != null && raising == held && held > ceiling) {
            held = ceiling;
            raising = ceiling;
        }
    }

    private long slice() {
        return limitMicros / HEADROOM_SHARE;
    }

    /** All requests settled and the process stops cleanly: nothing more is held. */
    @Override
    public synchronized void releaseHeadroom() {
        if (recorder != null) {
            held = committed;
            raising = committed;
        }
    }

    /**
     * The key left the configuration: what was set aside for its next requests is held no more (one that found
     * the key just before records its own), so the ledger it leaves behind holds only the open reservations.
     */
    @Override
    public void retire() {
        releaseHeadroom();
    }
}
