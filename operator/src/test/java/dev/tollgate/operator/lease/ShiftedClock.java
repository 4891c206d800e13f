package dev.tollgate.operator.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock moved by an amount a test can change: time flows as usual (backoffs, requeues and
 * "the last ten seconds" behave as they would), and a test can jump ahead to a lease's expiry or a new
 * day. The operator replicas and the sidecars share one, as NTP keeps a cluster's nodes together.
 */
final class ShiftedClock extends Clock {
    private volatile Duration shift;

    ShiftedClock(Instant start) {
        shift = Duration.between(Instant.now(), start);
    }

    /** Jumps to {@code now}, from where time flows on. */
    void set(Instant now) {
        shift = Duration.between(Instant.now(), now);
    }

    void advance(Duration by) {
        shift = shift.plus(by);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(shift);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("budgets are counted in UTC");
    }
}
