package dev.tollgate.sidecar.spend;

/**
 * The last minute of one lease's use, second by second: what sizes its next ask. Rates are summed over the
 * last {@link #RATE_SECONDS}; the largest reservation (granted or only asked for) over the whole minute.
 * Not thread-safe: the owning lease's lock guards it.
 */
final class RecentUsage {
    static final int RATE_SECONDS = 10;
    private static final int SECONDS = 60;

    private final long[] second = new long[SECONDS];
    private final long[] spentMicros = new long[SECONDS];
    private final long[] requests = new long[SECONDS];
    private final long[] tokens = new long[SECONDS];
    private final long[] largestMicros = new long[SECONDS];
    private final long[] largestTokens = new long[SECONDS];

    /** A request asked for this much, whether it got it or not. */
    void asked(long nowMillis, long micros, long tokenCount) {
        int i = slot(nowMillis);
        largestMicros[i] = Math.max(largestMicros[i], micros);
        largestTokens[i] = Math.max(largestTokens[i], tokenCount);
    }

    /** A request was admitted with this many estimated tokens. */
    void admitted(long nowMillis, long tokenCount) {
        int i = slot(nowMillis);
        requests[i]++;
        tokens[i] += tokenCount;
    }

    void spent(long nowMillis, long micros) {
        spentMicros[slot(nowMillis)] += micros;
    }

    long spentMicros(long nowMillis) {
        return sum(spentMicros, nowMillis, RATE_SECONDS);
    }

    long requests(long nowMillis) {
        return sum(requests, nowMillis, RATE_SECONDS);
    }

    long tokens(long nowMillis) {
        return sum(tokens, nowMillis, RATE_SECONDS);
    }

    long largestMicros(long nowMillis) {
        return max(largestMicros, nowMillis);
    }

    long largestTokens(long nowMillis) {
        return max(largestTokens, nowMillis);
    }

    /** The slot of this second, emptied first if it still holds a second a minute or more ago. */
    private int slot(long nowMillis) {
        long s = Math.floorDiv(nowMillis, 1000);
        int i = (int) Math.floorMod(s, SECONDS);
        if (second[i] != s) {
            second[i] = s;
            spentMicros[i] = 0;
            requests[i] = 0;
            tokens[i] = 0;
            largestMicros[i] = 0;
            largestTokens[i] = 0;
        }
        return i;
    }

    private long sum(long[] values, long nowMillis, int seconds) {
        long now = Math.floorDiv(nowMillis, 1000);
        long total = 0;
        for (long s = now - seconds + 1; s <= now; s++) {
            int i = (int) Math.floorMod(s, SECONDS);
            if (second[i] == s) {
                total += values[i];
            }
        }
        return total;
    }

    private long max(long[] values, long nowMillis) {
        long now = Math.floorDiv(nowMillis, 1000);
        long largest = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (second[i] > now - SECONDS && second[i] <= now) {
                largest = Math.max(largest, values[i]);
            }
        }
        return largest;
    }
}
