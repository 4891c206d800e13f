package dev.tollgate.sidecar.spend;

import java.time.Instant;

/** What a spend key spent in one closed budget period. */
public record PeriodTotal(Instant periodStart, long spentMicros, long requests) {
    public PeriodTotal {
        if (periodStart == null) {
            throw new IllegalArgumentException("period total: periodStart is required");
        }
        if (spentMicros < 0 || requests < 0) {
            throw new IllegalArgumentException("period total " + periodStart + ": counters must be >= 0");
        }
    }
}
