package dev.tollgate.operator.lease;

import dev.tollgate.operator.api.SpendKeySpec;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The lease ledger of one SpendKey, as a pure function: status + spec + now + reports → new status
 * + one grant per report. Every write of a SpendKey's status goes through it, so period roll-over,
 * expiry and the budget arithmetic live here only.
 *
 * <p>The invariant: a grant never takes {@code spent + reserved} above the limit, where reserved is
 * what open leases of the current period hold unspent. Spend a sidecar reports beyond its lease is
 * counted (it happened) and leaves nothing to grant.
 */
public final class LeaseBook {
    /** A lease not reported for this long expires: sidecars report about every second. */
    public static final Duration LEASE_TTL = Duration.ofSeconds(30);
    /** Expired and released leases are kept this long, so a late report corrects rather than adds. */
    public static final Duration TOMBSTONE = Duration.ofHours(1);
    /**
     * At most this many tombstones per key (about 400 bytes each), the oldest going first, so a key many pods come
     * and go on stays far inside the API server's object size limit. A late report on one dropped early counts its
     * lease's spend again: never less.
     */
    public static final int MAX_TOMBSTONES = 500;
    /** Sidecars make UUIDs (36 characters). */
    static final int MAX_LEASE_ID = 64;
    /** Closed periods kept in status.history. */
    public static final int HISTORY = 6;

    private LeaseBook() {
    }

    /** A report and the pod that sent it, as its token says. */
    public record HolderReport(String holder, LeaseReport report) {
    }

    /**
     * @param status  the status with the ledger brought to now; state, conditions and token fields as they were
     * @param grants  one per report, in order
     * @param granted reports that got more budget or rate allowance
     * @param denied  reports that wanted more and got none of it
     */
    public record Result(SpendKeyStatus status, List<LeaseGrant> grants, int granted, int denied) {
    }

    /**
     * @param invalid the reconciler found the key unusable (its status says Invalid): reports count, nothing is granted
     */
    public static Result apply(SpendKeyStatus status, SpendKeySpec spec, boolean invalid, Instant now, List<HolderReport> reports) {
        SpendKeyStatus base = status == null ? SpendKeyStatus.empty() : status;
        KeyTerms terms = KeyTerms.of(spec);
        Ledger ledger = Ledger.read(base);
        ledger.settle(terms, now);
        List<LeaseGrant> grants = new ArrayList<>();
        int granted = 0;
        int denied = 0;
        for (HolderReport report : reports) {
            Call call = new Call(ledger, terms, invalid, now, report.holder(), report.report());
            grants.add(call.answer());
            granted += call.granted ? 1 : 0;
            denied += call.denied ? 1 : 0;
        }
        return new Result(ledger.write(base, terms), grants, granted, denied);
    }

    /** When the ledger changes by itself next: the earliest expiry of an open lease. */
    public static Optional<Instant> nextExpiry(SpendKeyStatus status) {
        return Optional.ofNullable(status == null ? null : Ledger.read(status).nextExpiry());
    }

    /** One report applied to the ledger. */
    private static final class Call {
        private final Ledger ledger;
        private final KeyTerms terms;
        private final boolean invalid;
        private final Instant now;
        private final LeaseReport report;
        private boolean granted;
        private boolean denied;
        private final LeaseGrant answer;

        Call(Ledger ledger, KeyTerms terms, boolean invalid, Instant now, String holder, LeaseReport report) {
            this.ledger = ledger;
            this.terms = terms;
            this.invalid = invalid;
            this.now = now;
            this.report = report;
            this.answer = apply(holder);
        }

        LeaseGrant answer() {
            return answer;
        }

        private LeaseGrant apply(String holder) {
            if (report.lease() == null || report.lease().isBlank() || report.lease().length() > MAX_LEASE_ID) {
                // Ids are kept in the status: one of any length could take a key's status past the size limit.
                return refused(null, "lease id is required, at most " + MAX_LEASE_ID + " characters");
            }
            if (report.sequence() < 1 || report.spentMicros() < 0 || report.requests() < 0 || report.inputTokens() < 0
                    || report.outputTokens() < 0 || report.wantMicros() < 0 || report.wantRequests() < 0 || report.wantTokens() < 0) {
                return refused(null, "sequence must be at least 1 and no figure may be negative");
            }
            Lease lease = ledger.leases.get(report.lease());
            if (lease != null && !Objects.equals(lease.holder, holder)) {
                return refused(null, "lease " + report.lease() + " is held by another pod");
            }
            if (lease == null) {
                // Opens in the operator's current period, whatever the sidecar's clock said: the answer tells it which.
                lease = new Lease(report.lease(), holder, ledger.periodStart, expiry());
                ledger.leases.put(lease.id, lease);
            } else if (report.sequence() <= lease.sequence) {
                return granted(lease); // a retry: the answer as recorded
            } else if (lease.goesBackwards(report)) {
                return refused(lease, "figures go backwards: a report's figures are cumulative over the lease");
            }
            record(lease);
            if (report.release()) {
                lease.released = true;
            } else if (!lease.released && ledger.inCurrentPeriod(lease) && usable()) {
                // A released lease is out of reserved: a grant on it would be budget nobody holds back.
                topUp(lease);
            }
            denied = !granted && wantsMore(lease);
            return granted(lease);
        }

        /** Counts what the report adds to what the lease had recorded; a late report replaces its expiry estimate. */
        private void record(Lease lease) {
            Figures figures = ledger.figuresOf(lease);
            if (figures != null) {
                if (lease.expired) {
                    figures.estimate(-lease.unspent());
                }
                figures.spent += report.spentMicros() - lease.spent;
                figures.requests += report.requests() - lease.requests;
                figures.inputTokens += report.inputTokens() - lease.inputTokens;
                figures.outputTokens += report.outputTokens() - lease.outputTokens;
            }
            lease.expired = false;
            lease.spent = report.spentMicros();
            lease.requests = report.requests();
            lease.inputTokens = report.inputTokens();
            lease.outputTokens = report.outputTokens();
            lease.sequence = report.sequence();
            lease.expiresAt = report.release() ? now : expiry();
            if (report.lastUsedAt() != null && ledger.inCurrentPeriod(lease)
                    && (ledger.lastUsedAt == null || report.lastUsedAt().isAfter(ledger.lastUsedAt))) {
                ledger.lastUsedAt = report.lastUsedAt();
            }
        }

        private boolean usable() {
            String state = terms.state(invalid, ledger.current.spent, now);
            return state.equals(KeyTerms.ACTIVE) || state.equals(KeyTerms.BUDGET_EXHAUSTED);
        }

        private void topUp(Lease lease) {
            if (terms.limitMicros() != null && report.wantMicros() > lease.unspent()) {
                long available = terms.limitMicros() - ledger.current.spent - ledger.reserved();
                long extra = Math.min(report.wantMicros() - lease.unspent(), available);
                if (extra > 0) {
                    // A lease spent beyond its grant first has the excess covered (it is already counted as spent).
                    lease.granted = Math.max(lease.granted, lease.spent) + extra;
                    granted = true;
                }
            }
            if (ledger.windowStart != null) {
                long requests = allowance(report.wantRequests(), terms.requestsPerMinute(), ledger.windowRequests);
                long tokens = allowance(report.wantTokens(), terms.tokensPerMinute(), ledger.windowTokens);
                lease.windowRequests += requests;
                ledger.windowRequests += requests;
                lease.windowTokens += tokens;
                ledger.windowTokens += tokens;
                granted |= requests > 0 || tokens > 0;
            }
        }

        private static long allowance(long want, Integer perMinute, long grantedThisMinute) {
            return perMinute == null ? 0 : Math.max(0, Math.min(want, perMinute - grantedThisMinute));
        }

        private boolean wantsMore(Lease lease) {
            return terms.limitMicros() != null && report.wantMicros() > lease.unspent()
                    || terms.requestsPerMinute() != null && report.wantRequests() > 0
                    || terms.tokensPerMinute() != null && report.wantTokens() > 0;
        }

        private Instant expiry() {
            return now.plus(LEASE_TTL).truncatedTo(ChronoUnit.MILLIS);
        }

        private LeaseGrant granted(Lease lease) {
            return grant(lease, null);
        }

        /** Refused: nothing recorded, nothing granted; an own lease is answered as recorded. */
        private LeaseGrant refused(Lease lease, String error) {
            denied = true;
            return grant(lease, error);
        }

        private LeaseGrant grant(Lease lease, String error) {
            boolean rated = ledger.windowStart != null;
            return new LeaseGrant(report.key(), report.lease(),
                    lease == null ? 0 : lease.sequence,
                    lease == null ? ledger.periodStart : lease.periodStart,
                    lease == null ? 0 : lease.granted,
                    ledger.windowStart,
                    lease == null || !rated ? 0 : lease.windowRequests,
                    lease == null || !rated ? 0 : lease.windowTokens,
                    lease == null ? null : lease.expiresAt,
                    terms.state(invalid, ledger.current.spent, now),
                    terms.limitMicros() == null ? null
                            : Math.max(0, terms.limitMicros() - ledger.current.spent - ledger.reserved()),
                    error);
        }
    }
}
