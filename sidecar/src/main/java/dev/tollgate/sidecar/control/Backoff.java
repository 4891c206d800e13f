package dev.tollgate.sidecar.control;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between failed calls to the operator: doubling from {@code first} up to {@code max}, each
 * wait a random 50-100 % of the step so a restarted operator is not hit by every pod at once.
 */
final class Backoff {
    private final long firstMillis;
    private final long maxMillis;
    private long stepMillis;

    Backoff(Duration first, Duration max) {
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
        this.stepMillis = firstMillis;
    }

    Duration next() {
        long step = stepMillis;
        stepMillis = Math.min(maxMillis, stepMillis * 2);
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    void reset() {
        stepMillis = firstMillis;
    }
}
