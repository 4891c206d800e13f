package dev.tollgate.sidecar.spend;

/**
 * A token bucket that holds at most {@code perMinute} tokens and refills continuously at {@code perMinute}
 * per minute. Not thread-safe: the owning key's lock guards it.
 */
final class RateBucket {
    private static final long MILLIS_PER_MINUTE = 60_000;

    private final long perMinute;
    /** The level is kept in 1/60,000 of a token, so a refill of perMinute per minute is exactly perMinute per ms. */
    private final long capacity;
    private long level;
    private long refilledAtMillis;

    RateBucket(long perMinute, long nowMillis) {
        this(perMinute, nowMillis, perMinute * MILLIS_PER_MINUTE);
    }

    private RateBucket(long perMinute, long nowMillis, long level) {
        this.perMinute = perMinute;
        this.capacity = perMinute * MILLIS_PER_MINUTE;
        this.level = Math.min(level, capacity);
        this.refilledAtMillis = nowMillis;
    }

    long perMinute() {
        return perMinute;
    }

    /** A bucket with another limit that keeps this one's level (up to the new capacity), so a policy change is no free refill. */
    RateBucket withLimit(long newPerMinute, long nowMillis) {
        refill(nowMillis);
        return new RateBucket(newPerMinute, nowMillis, level);
    }

    /** True if {@code tokens} are available now; a bucket driven below zero admits nothing until it refills. */
    boolean canTake(long tokens, long nowMillis) {
        refill(nowMillis);
        return tokens <= perMinute && level >= tokens * MILLIS_PER_MINUTE;
    }

    /** Removes tokens; a negative count puts tokens back. The level may go below zero; it never exceeds the capacity. */
    void take(long tokens) {
        level = Math.min(capacity, level - tokens * MILLIS_PER_MINUTE);
    }

    private void refill(long nowMillis) {
        long elapsed = nowMillis - refilledAtMillis;
        if (elapsed <= 0) {
            return; // a clock stepping back must not mint tokens
        }
        long millisToFull = (capacity - level + perMinute - 1) / perMinute;
        level = elapsed >= millisToFull ? capacity : level + elapsed * perMinute;
        refilledAtMillis = nowMillis;
    }
}
