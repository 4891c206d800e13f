package dev.tollgate.sidecar.server;

import java.util.concurrent.atomic.AtomicInteger;

/** The sidecar-wide cap on concurrent requests, shared by every API handler. */
final class InflightLimit {
    private final int max;
    private final AtomicInteger inflight = new AtomicInteger();

    InflightLimit(int max) {
        this.max = max;
    }

    boolean tryAcquire() {
        if (inflight.incrementAndGet() > max) {
            inflight.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        inflight.decrementAndGet();
    }

    int max() {
        return max;
    }
}
