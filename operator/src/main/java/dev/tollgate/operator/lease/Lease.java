package dev.tollgate.operator.lease;

import dev.tollgate.operator.api.SpendKeyLease;
import dev.tollgate.sidecar.wire.LeaseReport;
import dev.tollgate.sidecar.metering.Money;
import java.time.Instant;

/** One lease, mutable while a ledger is worked on. Figures are the cumulative ones last reported. */
final class Lease {
    final String id;
    final String holder;
    Instant periodStart;
    long granted;
    long spent;
    long requests;
    long inputTokens;
    long outputTokens;
    long sequence;
    Instant expiresAt;
    boolean expired;
    boolean released;
    long windowRequests;
    long windowTokens;

    Lease(String id, String holder, Instant periodStart, Instant expiresAt) {
        this.id = id;
        this.holder = holder;
        this.periodStart = periodStart;
        this.expiresAt = expiresAt;
    }

    static Lease of(SpendKeyLease l) {
        Lease lease = new Lease(l.id(), l.holder(), Instant.parse(l.periodStart()), Instant.parse(l.expiresAt()));
        lease.granted = Ledger.micros(l.granted());
        lease.spent = Ledger.micros(l.spent());
        lease.requests = orZero(l.requests());
        lease.inputTokens = orZero(l.inputTokens());
        lease.outputTokens = orZero(l.outputTokens());
        lease.sequence = orZero(l.sequence());
        lease.expired = l.expired();
        lease.released = l.released();
        lease.windowRequests = orZero(l.windowRequests());
        lease.windowTokens = orZero(l.windowTokens());
        return lease;
    }

    SpendKeyLease toStatus(boolean rateLimited) {
        return new SpendKeyLease(id, holder, periodStart.toString(), Money.formatUsd(granted), Money.formatUsd(spent), requests,
                inputTokens, outputTokens, sequence, expiresAt.toString(), expired, released,
                rateLimited ? windowRequests : null, rateLimited ? windowTokens : null);
    }

    boolean open() {
        return !expired && !released;
    }

    /** Budget granted and not spent: what the lease holds back from the key. */
    long unspent() {
        return Math.max(0, granted - spent);
    }

    boolean goesBackwards(LeaseReport report) {
        return report.spentMicros() < spent || report.requests() < requests || report.inputTokens() < inputTokens
                || report.outputTokens() < outputTokens;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
