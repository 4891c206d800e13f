package dev.tollgate.operator.lease;

import dev.tollgate.operator.api.SpendKeyLease;
import dev.tollgate.operator.api.SpendKeyPeriod;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.operator.api.SpendKeyWindow;
import dev.tollgate.sidecar.metering.Money;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SpendKey's budget figures and leases, read from its status, changed in memory, written back.
 * Money in micro-dollars; instants parsed. Nothing here does I/O.
 */
final class Ledger {
    Instant periodStart;
    Figures current;
    /** Closed periods by start, oldest first. */
    final Map<Instant, Figures> history = new LinkedHashMap<>();
    final Map<String, Lease> leases = new LinkedHashMap<>();
    Instant windowStart;
    long windowRequests;
    long windowTokens;
    Instant lastUsedAt;

    static Ledger read(SpendKeyStatus status) {
        Ledger ledger = new Ledger();
        ledger.periodStart = KeyTerms.instantOrNull(status.periodStart());
        ledger.current = Figures.of(status.spent(), status.unreconciled(), status.requests(), status.inputTokens(),
                status.outputTokens());
        for (SpendKeyPeriod period : status.history()) {
            ledger.history.put(Instant.parse(period.periodStart()), Figures.of(period));
        }
        for (SpendKeyLease lease : status.leases()) {
            ledger.leases.put(lease.id(), Lease.of(lease));
        }
        if (status.window() != null) {
            ledger.windowStart = KeyTerms.instantOrNull(status.window().start());
            ledger.windowRequests = status.window().requests() == null ? 0 : status.window().requests();
            ledger.windowTokens = status.window().tokens() == null ? 0 : status.window().tokens();
        }
        ledger.lastUsedAt = KeyTerms.instantOrNull(status.lastUsedAt());
        return ledger;
    }

    /** {@code base} with the ledger's fields replaced; state, conditions and the token's fields kept. */
    SpendKeyStatus write(SpendKeyStatus base, KeyTerms terms) {
        List<SpendKeyPeriod> periods = new ArrayList<>();
        history.forEach((start, figures) -> periods.add(figures.toPeriod(start)));
        List<SpendKeyLease> leaseList = leases.values().stream().map(l -> l.toStatus(terms.rateLimited())).toList();
        return new SpendKeyStatus(base.observedGeneration(), base.conditions(), base.state(),
                Money.formatUsd(current.spent),
                terms.limitMicros() == null ? null : Money.formatUsd(Math.max(0, terms.limitMicros() - current.spent)),
                Money.formatUsd(reserved()),
                Money.formatUsd(current.unreconciled),
                periodStart.toString(),
                current.requests, current.inputTokens, current.outputTokens,
                lastUsedAt == null ? null : lastUsedAt.toString(),
                base.tokenSecret(), base.keyPrefix(),
                periods, leaseList,
                windowStart == null ? null : new SpendKeyWindow(windowStart.toString(), windowRequests, windowTokens));
    }

    /**
     * Brings the ledger to {@code now}: a new period moves the closed one to history; a new minute
     * starts a new rate window; open leases unreported for too long expire (their unspent part counts
     * as spent, unreconciled); tombstones older than {@link LeaseBook#TOMBSTONE}, or beyond
     * {@link LeaseBook#MAX_TOMBSTONES}, go.
     */
    void settle(KeyTerms terms, Instant now) {
        // Another replica's clock may be ahead of ours: a period or minute it opened is never taken back.
        rollPeriod(terms.period().startOf(periodStart != null && now.isBefore(periodStart) ? periodStart : now));
        rollWindow(terms, windowStart != null && now.isBefore(windowStart) ? windowStart : now);
        for (Lease lease : leases.values()) {
            if (lease.open() && !now.isBefore(lease.expiresAt)) {
                lease.expired = true;
                Figures figures = figuresOf(lease);
                if (figures != null) {
                    figures.estimate(lease.unspent());
                }
            }
        }
        Iterator<Lease> it = leases.values().iterator();
        while (it.hasNext()) {
            Lease lease = it.next();
            if (!lease.open() && !now.isBefore(lease.expiresAt.plus(LeaseBook.TOMBSTONE))) {
                it.remove();
            }
        }
        List<Lease> tombstones = leases.values().stream().filter(l -> !l.open()).sorted(Comparator.comparing(l -> l.expiresAt))
                .toList();
        for (Lease oldest : tombstones.subList(0, Math.max(0, tombstones.size() - LeaseBook.MAX_TOMBSTONES))) {
            leases.remove(oldest.id);
        }
    }

    private void rollPeriod(Instant start) {
        if (periodStart == null) {
            periodStart = start;
        } else if (start.isAfter(periodStart)) {
            history.put(periodStart, current);
            while (history.size() > LeaseBook.HISTORY) {
                history.remove(history.keySet().iterator().next());
            }
            current = new Figures();
            periodStart = start;
        } else if (start.isBefore(periodStart)) {
            // The spec's period got longer: what it holds so far, closed shorter periods too, counts in the longer one.
            Iterator<Map.Entry<Instant, Figures>> closed = history.entrySet().iterator();
            while (closed.hasNext()) {
                Map.Entry<Instant, Figures> period = closed.next();
                if (!period.getKey().isBefore(start)) {
                    current.add(period.getValue());
                    closed.remove();
                }
            }
            for (Lease lease : leases.values()) {
                if (!lease.periodStart.isBefore(start)) {
                    lease.periodStart = start;
                }
            }
            periodStart = start;
        }
    }

    private void rollWindow(KeyTerms terms, Instant now) {
        Instant minute = terms.rateLimited() ? now.truncatedTo(ChronoUnit.MINUTES) : null;
        if (minute == null ? windowStart == null : minute.equals(windowStart)) {
            return;
        }
        windowStart = minute;
        windowRequests = 0;
        windowTokens = 0;
        for (Lease lease : leases.values()) {
            lease.windowRequests = 0;
            lease.windowTokens = 0;
        }
    }

    /** The figures a lease's spend counts in: the current period's, a closed one's, or null when that one is gone. */
    Figures figuresOf(Lease lease) {
        return lease.periodStart.equals(periodStart) ? current : history.get(lease.periodStart);
    }

    boolean inCurrentPeriod(Lease lease) {
        return lease.periodStart.equals(periodStart);
    }

    /** Budget held by the open leases of the current period. */
    long reserved() {
        return leases.values().stream().filter(l -> l.open() && inCurrentPeriod(l)).mapToLong(Lease::unspent).sum();
    }

    /** The earliest instant an open lease expires, or null. */
    Instant nextExpiry() {
        return leases.values().stream().filter(Lease::open).map(l -> l.expiresAt).min(Instant::compareTo).orElse(null);
    }

    /** Status money is ours, written by {@link Money#formatUsd}; anything unreadable counts as zero. */
    static long micros(String usd) {
        try {
            return usd == null ? 0 : Money.parseUsd(usd);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
