package dev.tollgate.bench;

import java.util.Arrays;

/** Percentiles of a set of latencies, in nanoseconds (nearest-rank, exact: every sample is kept). */
record Latency(long p50, long p99, long max) {

    static final Latency NONE = new Latency(0, 0, 0);

    static Latency of(long[] nanos, int count) {
        if (count == 0) {
            return NONE;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Latency(rank(sorted, 0.50), rank(sorted, 0.99), sorted[count - 1]);
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }
}
