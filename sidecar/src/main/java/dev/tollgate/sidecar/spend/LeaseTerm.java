package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One lease id of a key: one period (or what is left of it after an expiry). Its figures are cumulative, so
 * any report of it may be repeated. Not thread-safe: the owning {@link RemoteBudgetLease}'s lock guards it.
 */
final class LeaseTerm {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    /**
     * A term with nothing new to say still reports once this little is left before the operator would expire it
     * (it grants 30 s): an idle key costs the operator a write every ten seconds or so, not every second.
     */
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofSeconds(20);

    final String id = UUID.randomUUID().toString();
    final Instant periodStart;
    private long sequence;
    long spentMicros;
    long requests;
    long inputTokens;
    long outputTokens;
    Instant lastUsedAt;
    long grantedMicros;
    /** When the operator last granted more budget; null before any. */
    Instant toppedUpAt;
    Instant expiresAt;
    /** Unspent budget just after the last grant: "running low" is measured against it. */
    long heldAtGrant;
    private Instant windowStart;
    private long grantedRequests;
    private long grantedTokens;
    long usedRequests;
    long usedTokens;
    boolean releaseSent;
    /** Spent and requests as the last report sent them, and as the last answered report sent them. */
    private long sentSpent;
    private long sentRequests;
    private long answeredSpent;
    private long answeredRequests;
    /** The operator answered a report that released this term. */
    boolean released;

    LeaseTerm(Instant periodStart) {
        this.periodStart = periodStart;
    }

    /** The next report: one more in sequence, the figures as they are now. */
    LeaseReport report(String key, long wantMicros, long wantRequests, long wantTokens, boolean release) {
        sequence++;
        releaseSent |= release;
        sentSpent = spentMicros;
        sentRequests = requests;
        return new LeaseReport(key, id, periodStart, sequence, spentMicros, requests, inputTokens, outputTokens,
                lastUsedAt, wantMicros, wantRequests, wantTokens, release);
    }

    void apply(LeaseGrant grant, Instant now) {
        answeredSpent = sentSpent;
        answeredRequests = sentRequests;
        if (grant.grantedMicros() > grantedMicros) {
            grantedMicros = grant.grantedMicros();
            toppedUpAt = now;
        }
        expiresAt = grant.expiresAt();
        if (grant.windowStart() == null || !grant.windowStart().equals(windowStart)) {
            usedRequests = 0; // a new minute: what was used counted in the last one
            usedTokens = 0;
        }
        windowStart = grant.windowStart();
        grantedRequests = grant.grantedRequests();
        grantedTokens = grant.grantedTokens();
    }

    /**
     * Nothing to report this round: the operator has every figure, the sidecar wants nothing beyond what it holds,
     * and the open lease is far from expiring.
     */
    boolean quiet(Instant now, long wantMicros, long wantRequests, long wantTokens) {
        boolean counted = spentMicros == answeredSpent && requests == answeredRequests;
        boolean content = wantMicros <= grantedMicros - spentMicros && wantRequests == 0 && wantTokens == 0;
        boolean fresh = expiresAt != null && now.plus(REFRESH_BEFORE_EXPIRY).isBefore(expiresAt);
        return counted && content && fresh;
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
