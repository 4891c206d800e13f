package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.control.LeaseGrant;
import dev.tollgate.sidecar.control.LeaseReport;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One lease id of a key: one period (or what is left of it after an expiry). Its figures are cumulative, so
 * any report of it may be repeated. Not thread-safe: the owning {@link RemoteBudgetLease}'s lock guards it.
 */
final class LeaseTerm {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    final String id = UUID.randomUUID().toString();
    final Instant periodStart;
    private long sequence;
    long spentMicros;
    long requests;
    long inputTokens;
    long outputTokens;
    Instant lastUsedAt;
    long grantedMicros;
    Instant expiresAt;
    /** Unspent budget just after the last grant: "running low" is measured against it. */
    long heldAtGrant;
    private Instant windowStart;
    private long grantedRequests;
    private long grantedTokens;
    long usedRequests;
    long usedTokens;
    boolean releaseSent;
    /** The operator answered a report that released this term. */
    boolean released;

    LeaseTerm(Instant periodStart) {
        this.periodStart = periodStart;
    }

    /** The next report: one more in sequence, the figures as they are now. */
    LeaseReport report(String key, long wantMicros, long wantRequests, long wantTokens, boolean release) {
        sequence++;
        releaseSent |= release;
        return new LeaseReport(key, id, periodStart, sequence, spentMicros, requests, inputTokens, outputTokens,
                lastUsedAt, wantMicros, wantRequests, wantTokens, release);
    }

    void apply(LeaseGrant grant) {
        grantedMicros = Math.max(grantedMicros, grant.grantedMicros());
        expiresAt = grant.expiresAt();
        if (grant.windowStart() == null || !grant.windowStart().equals(windowStart)) {
            usedRequests = 0; // a new minute: what was used counted in the last one
            usedTokens = 0;
        }
        windowStart = grant.windowStart();
        grantedRequests = grant.grantedRequests();
        grantedTokens = grant.grantedTokens();
    }

    /** Reported in time: the operator still holds the unspent part for this sidecar. */
    boolean live(Instant now) {
        return expiresAt != null && now.isBefore(expiresAt);
    }

    long heldRequests(Instant now) {
        return inWindow(now) ? Math.max(0, grantedRequests - usedRequests) : 0;
    }

    long heldTokens(Instant now) {
        return inWindow(now) ? Math.max(0, grantedTokens - usedTokens) : 0;
    }

    private boolean inWindow(Instant now) {
        return windowStart != null && !now.isBefore(windowStart) && now.isBefore(windowStart.plus(WINDOW));
    }
}
