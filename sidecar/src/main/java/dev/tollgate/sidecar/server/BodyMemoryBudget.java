package dev.tollgate.sidecar.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies held in memory at once, across every request: a request reserves what
 * it is about to hold before it holds it, and gives it back when it ends.
 */
final class BodyMemoryBudget {
    private final long total;
    private final AtomicLong held = new AtomicLong();

    BodyMemoryBudget(long total) {
        this.total = total;
    }

    /** Reserves {@code bytes}, or nothing when they do not fit beside what is held. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = held.get();
            if (bytes > total - now) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
