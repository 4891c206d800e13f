package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.metering.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The money and rate state of one spend key: its period ledger, budget lease and rate buckets. One small lock
 * per key guards it; every method does constant work, so the lock is held for well under a microsecond. A request
 * its lease cannot cover waits for more (with the operator) outside the lock, briefly, holding no thread.
 */
final class KeyAccount {
    static final int HISTORY_KEPT = 6;
    /**
     * How long a request its lease cannot cover waits for a bigger one (DESIGN.md section 5): long enough for a
     * lease round trip (a TLS call and a status write) on a busy cluster.
     */
    static final Duration WAIT_FOR_LEASE = Duration.ofSeconds(1);

    private final Clock clock;
    private final LeaseSource leases;
    private volatile SpendKeyConfig config;

    // Guarded by this.
    private Instant periodStart;
    private long spentMicros;
    private long requests;
    private long inputTokens;
    private long outputTokens;
    private Instant lastUsedAt;
    private final ArrayDeque<PeriodTotal> history = new ArrayDeque<>();
    /** Worst cases of admissions not yet settled or cancelled; they move with the budget when its lease is replaced. */
    private long reservedMicros;
    private BudgetLease lease;
    private RateBucket requestBucket;
    private RateBucket tokenBucket;

    KeyAccount(SpendKeyConfig config, Clock clock, LeaseSource leases) {
        this.clock = clock;
        this.leases = leases;
        this.config = config;
        Instant now = clock.instant();
        this.periodStart = config.period().startOf(now);
        this.lease = leases.lease(null, config, 0, 0);
        this.requestBucket = bucket(null, config.requestsPerMinute(), now);
        this.tokenBucket = bucket(null, config.tokensPerMinute(), now);
    }

    SpendKeyConfig config() {
        return config;
    }

    /** One try to reserve: the admission, or the rejection and, when only the lease fell short, that lease. */
    private record Try(Admission admission, SpendRejection rejection, BudgetLease shortLease) {
    }

    /**
     * Takes one request and the estimated tokens from the rate limits and reserves the worst case now, or rejects.
     */
    Admission reserveNow(long estimatedTokens, long worstCaseMicros) throws SpendRejection {
        CompletableFuture<Admission> admitted = new CompletableFuture<>();
        // No time to wait: only a lease that answers at once (a local one writing its ceiling) is asked.
        reserveUntil(estimatedTokens, worstCaseMicros, new LeaseWait(System.nanoTime()), admitted);
        try {
            return admitted.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof SpendRejection rejection) {
                throw rejection;
            }
            throw e;
        }
    }

    /**
     * As {@link #reserveNow}, but when only the lease falls short, asks it for more and tries again each time it
     * changes until {@link #WAIT_FOR_LEASE} has passed. No thread waits: the answer completes the future.
     * Cancelling the future (the client left) ends the wait: the lease stops counting its need, and nothing stays
     * reserved for it.
     */
    CompletableFuture<Admission> reserve(long estimatedTokens, long worstCaseMicros) {
        CompletableFuture<Admission> admitted = new CompletableFuture<>();
        reserveUntil(estimatedTokens, worstCaseMicros, new LeaseWait(System.nanoTime() + WAIT_FOR_LEASE.toNanos()), admitted);
        return admitted;
    }

    private void reserveUntil(long estimatedTokens, long worstCaseMicros, LeaseWait wait,
                              CompletableFuture<Admission> admitted) {
        Try t;
        try {
            t = tryReserve(estimatedTokens, worstCaseMicros);
        } catch (SpendRejection rejection) {
            admitted.completeExceptionally(rejection);
            return;
        }
        if (t.admission() != null) {
            if (!admitted.complete(t.admission())) {
                t.admission().cancel(); // cancelled meanwhile: nobody will settle it
            }
            return;
        }
        if (t.shortLease() == null) {
            admitted.completeExceptionally(t.rejection());
            return;
        }
        // The lease ends the wait itself (its deadline, or the answer to the call that asked for this need).
        CompletableFuture<Boolean> more = t.shortLease().whenMore(worstCaseMicros, estimatedTokens, wait);
        admitted.whenComplete((admission, failure) -> {
            if (admitted.isCancelled()) {
                more.cancel(false);
            }
        });
        more.whenComplete((changed, failure) -> {
            if (admitted.isDone()) {
                return;
            }
            if (Boolean.TRUE.equals(changed)) {
                reserveUntil(estimatedTokens, worstCaseMicros, wait, admitted);
            } else {
                admitted.completeExceptionally(t.rejection());
            }
        });
    }

    private Try tryReserve(long estimatedTokens, long worstCaseMicros) throws SpendRejection {
        synchronized (this) {
            Instant now = clock.instant();
            long nowMillis = now.toEpochMilli();
            rollPeriod(now);
            SpendKeyConfig c = config;
            if (requestBucket != null && !requestBucket.canTake(1, nowMillis)) {
                throw SpendRejection.rateLimited(c.name(), requestBucket.perMinute(), "requests");
            }
            if (tokenBucket != null && !tokenBucket.canTake(estimatedTokens, nowMillis)) {
                throw SpendRejection.rateLimited(c.name(), tokenBucket.perMinute(), "tokens");
            }
            Shortfall shortfall = lease.tryReserve(worstCaseMicros, estimatedTokens);
            if (shortfall == Shortfall.NONE) {
                if (requestBucket != null) {
                    requestBucket.take(1);
                }
                if (tokenBucket != null) {
                    tokenBucket.take(estimatedTokens);
                }
                reservedMicros += worstCaseMicros;
                return new Try(new ReservedAdmission(this, worstCaseMicros, estimatedTokens), null, null);
            }
            return new Try(null, rejection(c, shortfall, worstCaseMicros), lease);
        }
    }

    private SpendRejection rejection(SpendKeyConfig c, Shortfall shortfall, long worstCaseMicros) {
        return switch (shortfall) {
            case REQUESTS -> SpendRejection.rateLimited(c.name(), c.requestsPerMinute(), "requests");
            case TOKENS -> SpendRejection.rateLimited(c.name(), c.tokensPerMinute(), "tokens");
            case RETIRED -> SpendRejection.removed(c.name());
            default -> SpendRejection.budgetExceeded(c.name(), c.period(), c.budgetMicros(), lease.keyRemainingMicros(),
                    lease.remainingMicros(), worstCaseMicros);
        };
    }

    /** Replaces a reservation by the actual cost and counts the request in the current period. */
    synchronized void settle(long reserved, long estimatedTokens, long costMicros, long input, long output) {
        Instant now = clock.instant();
        rollPeriod(now);
        reservedMicros -= reserved;
        lease.settle(reserved, estimatedTokens, costMicros, input, output, now);
        spentMicros = Money.saturatedAdd(spentMicros, costMicros);
        requests++;
        inputTokens += input;
        outputTokens += output;
        lastUsedAt = now;
        if (tokenBucket != null) {
            tokenBucket.take(input + output - estimatedTokens); // the truth replaces the estimate
        }
    }

    /** Gives back everything an admission took. */
    synchronized void cancel(long reserved, long estimatedTokens) {
        reservedMicros -= reserved;
        lease.cancel(reserved, estimatedTokens);
        if (requestBucket != null) {
            requestBucket.take(-1);
        }
        if (tokenBucket != null) {
            tokenBucket.take(-estimatedTokens);
        }
    }

    synchronized long remainingMicros() {
        rollPeriod(clock.instant());
        return lease.remainingMicros();
    }

    /** Applies a new policy of the same key; the ledger and outstanding reservations stay. */
    synchronized void apply(SpendKeyConfig newConfig) {
        Instant now = clock.instant();
        config = newConfig;
        rollPeriod(now); // the period kind may have changed
        lease = leases.lease(lease, newConfig, spentMicros, reservedMicros);
        requestBucket = bucket(requestBucket, newConfig.requestsPerMinute(), now);
        tokenBucket = bucket(tokenBucket, newConfig.tokensPerMinute(), now);
    }

    /**
     * Brings back a persisted ledger; one from a closed period goes to history. What it held counts as spent:
     * the process that held it may have served it and stopped before writing that down.
     */
    synchronized void restore(SpendKeyLedger saved) {
        periodStart = saved.periodStart();
        spentMicros = Money.saturatedAdd(saved.spentMicros(), saved.heldMicros());
        requests = saved.requests();
        inputTokens = saved.inputTokens();
        outputTokens = saved.outputTokens();
        lastUsedAt = saved.lastUsedAt();
        history.clear();
        saved.history().forEach(this::addHistory);
        rollPeriod(clock.instant());
        lease = leases.lease(lease, config, spentMicros, reservedMicros);
    }

    /** The key left the configuration. */
    synchronized void retire() {
        lease.retire();
    }

    /** Stopping cleanly, every request settled: what was set aside is not spent. */
    synchronized void releaseHeadroom() {
        lease.releaseHeadroom();
    }

    synchronized void trimHeadroom() {
        lease.trimHeadroom();
    }

    synchronized SpendKeyLedger ledger() {
        rollPeriod(clock.instant());
        long held = Money.saturatedAdd(reservedMicros, lease.headroomMicros());
        return new SpendKeyLedger(config.name(), periodStart, spentMicros, held, requests, inputTokens, outputTokens,
                lastUsedAt, List.copyOf(history));
    }

    private void rollPeriod(Instant now) {
        Instant start = config.period().startOf(now);
        if (start.equals(periodStart)) {
            return;
        }
        addHistory(new PeriodTotal(periodStart, spentMicros, requests));
        periodStart = start;
        spentMicros = 0;
        requests = 0;
        inputTokens = 0;
        outputTokens = 0;
        lease = leases.lease(lease, config, spentMicros, reservedMicros);
    }

    private void addHistory(PeriodTotal total) {
        history.addLast(total);
        while (history.size() > HISTORY_KEPT) {
            history.removeFirst();
        }
    }

    private static RateBucket bucket(RateBucket current, Integer perMinute, Instant now) {
        if (perMinute == null) {
            return null;
        }
        long nowMillis = now.toEpochMilli();
        return current == null ? new RateBucket(perMinute, nowMillis) : current.withLimit(perMinute, nowMillis);
    }
}
