package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.config.Enforcement;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.metering.Money;
import dev.tollgate.sidecar.timing.Watchdog;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A spend key's budget and rate allowances as the operator granted them to this sidecar (in-cluster mode).
 * Requests reserve against {@code granted - spent - outstanding} here and never wait on the network while they
 * fit; the {@code LeaseKeeper} reports and renews in the background. One object per key for the sidecar's life:
 * a new policy keeps it, a new period or an idle minute gives it a new lease id (a term), and the old term is
 * released with its final figures. A term the operator expired is reopened by its next report, so it keeps its
 * id. Its small lock is taken inside the key's.
 */
public final class RemoteBudgetLease implements BudgetLease {
    private final String key;
    private final Clock clock;
    private final Runnable askForRound;
    /** A term unused this long gives its unspent budget back. */
    static final Duration IDLE = Duration.ofMinutes(1);
    /**
     * A request waits at most this much past its own wait for the answer to a call that asked for its need (a
     * call's timeout): on a busy cluster that answer may take longer than the wait itself.
     */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
    private final RecentUsage recent = new RecentUsage();

    // Guarded by this.
    private SpendKeyConfig config;
    private LeaseTerm term;
    /** Terms replaced by a newer one, each reported once more with {@code release} until the operator answers. */
    private final List<LeaseTerm> closing = new ArrayList<>();
    private long outstandingMicros;
    /**
     * Worst cases of the requests waiting for a bigger lease: the next report asks for them too, so a burst gets
     * what it needs in one round rather than one request's worth per round.
     */
    private long waitingMicros;
    private boolean reachable;
    /** The key's remaining budget at the last answer: a lenient key cut off from the operator spends up to it. */
    private Long keyRemainingMicros;
    private boolean lowAsked;
    private boolean retired;
    /** Counts answers and failures, so a waiting request knows something changed. */
    private long changes;
    /** When the last report was handed to the keeper, and when the one last answered was (once {@code answered}). */
    private long reportSentNanos;
    private long answeredReportSentNanos;
    private boolean answered;
    /** The last call got no answer: a request past its own wait stops waiting for one. */
    private boolean lastCallFailed;
    /** Requests waiting for more; each is completed outside this lock, so none runs under it. */
    private final List<Waiter> waiting = new ArrayList<>();

    RemoteBudgetLease(SpendKeyConfig config, long outstandingMicros, Clock clock, Runnable askForRound) {
        this.key = config.name().substring(config.name().lastIndexOf('/') + 1); // the operator knows our namespace
        this.clock = clock;
        this.askForRound = askForRound;
        this.config = config;
        this.outstandingMicros = outstandingMicros;
        this.term = new LeaseTerm(config.period().startOf(clock.instant()));
    }

    /** The SpendKey's name in this pod's namespace, as the operator knows it. */
    public String key() {
        return key;
    }

    synchronized void policy(SpendKeyConfig newConfig) {
        config = newConfig;
    }

    @Override
    public synchronized Shortfall tryReserve(long micros, long tokens) {
        if (retired) {
            return Shortfall.RETIRED; // its release may be on its way: what it admitted now might never be reported
        }
        Instant now = clock.instant();
        LeaseTerm t = current(now);
        recent.asked(now.toEpochMilli(), micros, tokens);
        Shortfall shortfall = shortfall(t, now, micros, tokens);
        if (shortfall == Shortfall.NONE) {
            outstandingMicros += micros;
            t.usedRequests++;
            t.usedTokens += tokens;
            recent.admitted(now.toEpochMilli(), tokens);
            askIfLow(t);
        }
        return shortfall;
    }

    private Shortfall shortfall(LeaseTerm t, Instant now, long micros, long tokens) {
        boolean offline = offline();
        if (config.budgetMicros() != null) {
            if (!offline && !t.live(now)) {
                return Shortfall.BUDGET; // strict: no lease, no request
            }
            if (outstandingMicros + micros > ceiling(t) - t.spentMicros) {
                return Shortfall.BUDGET;
            }
        }
        if (offline) {
            return Shortfall.NONE; // lenient and cut off: the key's own per-minute buckets still apply
        }
        if (config.requestsPerMinute() != null && t.heldRequests(now) < 1) {
            return Shortfall.REQUESTS;
        }
        if (config.tokensPerMinute() != null && t.heldTokens(now) < tokens) {
            return Shortfall.TOKENS;
        }
        return Shortfall.NONE;
    }

    /** A lenient key while the operator cannot be reached. */
    private boolean offline() {
        return config.enforcement() == Enforcement.LENIENT && !reachable;
    }

    /** How much this term may have spent, all told. */
    private long ceiling(LeaseTerm t) {
        return offline() && keyRemainingMicros != null ? t.grantedMicros + keyRemainingMicros : t.grantedMicros;
    }

    @Override
    public synchronized void settle(long reservedMicros, long reservedTokens, long actualMicros, long inputTokens,
                                    long outputTokens, Instant at) {
        Instant now = clock.instant();
        LeaseTerm t = current(now);
        outstandingMicros -= reservedMicros;
        t.spentMicros += actualMicros;
        t.requests++;
        t.inputTokens += inputTokens;
        t.outputTokens += outputTokens;
        t.lastUsedAt = at;
        t.usedTokens += inputTokens + outputTokens - reservedTokens; // the truth replaces the estimate
        recent.spent(now.toEpochMilli(), actualMicros);
        askIfLow(t);
    }

    @Override
    public synchronized void cancel(long reservedMicros, long reservedTokens) {
        LeaseTerm t = current(clock.instant());
        outstandingMicros -= reservedMicros;
        t.usedRequests = Math.max(0, t.usedRequests - 1);
        t.usedTokens = Math.max(0, t.usedTokens - reservedTokens);
    }

    @Override
    public synchronized long remainingMicros() {
        if (config.budgetMicros() == null) {
            return Long.MAX_VALUE;
        }
        Instant now = clock.instant();
        LeaseTerm t = current(now);
        if (!offline() && !t.live(now)) {
            return 0;
        }
        return Math.max(0, ceiling(t) - t.spentMicros - outstandingMicros);
    }

    /**
     * As the operator last answered: what no lease of the key holds, plus what this pod's lease holds unspent
     * (requests in flight included); before any answer, what this pod holds.
     */
    @Override
    public synchronized long keyRemainingMicros() {
        if (config.budgetMicros() == null) {
            return Long.MAX_VALUE;
        }
        LeaseTerm t = current(clock.instant());
        if (keyRemainingMicros == null) {
            return remainingMicros();
        }
        return Money.saturatedAdd(keyRemainingMicros, Math.max(0, t.grantedMicros - t.spentMicros));
    }

    /**
     * Until the wait's deadline, any answer or failure may let a retry fit. Past it, the request still waits (at
     * most {@link #ANSWER_WAIT} more) until the operator has answered a call made after its need was first counted
     * in what this lease asks for; a failed call ends the wait. The one place a request waits for budget; no thread
     * waits: an answer, a failure or the wait's alarms complete the future.
     */
    @Override
    public CompletableFuture<Boolean> whenMore(long micros, long tokens, LeaseWait wait) {
        Waiter waiter;
        synchronized (this) {
            if (retired) {
                return CompletableFuture.completedFuture(false);
            }
            if (beyondTheKey(micros)) {
                return CompletableFuture.completedFuture(false); // the operator just said the whole key cannot cover it
            }
            if (!wait.asked) {
                wait.asked = true;
                wait.askedNanos = System.nanoTime();
            }
            askForRound.run();
            waiter = new Waiter(new CompletableFuture<>(), micros, wait, changes);
            Boolean verdict = verdict(waiter, System.nanoTime());
            if (verdict != null) {
                return CompletableFuture.completedFuture(verdict);
            }
            waitingMicros = Money.saturatedAdd(waitingMicros, micros); // worst cases come from clients' max_tokens
            waiting.add(waiter);
        }
        // A request that stopped waiting (its client left) no longer counts in what this lease asks for.
        waiter.more().whenComplete((changed, failure) -> {
            if (waiter.more().isCancelled()) {
                forget(waiter);
            }
        });
        long untilDeadlineMs = Math.max(1, (wait.deadlineNanos - System.nanoTime()) / 1_000_000);
        Watchdog.arm(untilDeadlineMs, this::recheck);
        Watchdog.arm(untilDeadlineMs + ANSWER_WAIT.toMillis(), this::recheck);
        return waiter.more();
    }

    /** The last answer (the operator reachable) left the key less than this request needs beyond what the lease holds. */
    private boolean beyondTheKey(long micros) {
        LeaseTerm t = term;
        return reachable && config.budgetMicros() != null && keyRemainingMicros != null && t.expiresAt != null
                && micros > keyRemainingMicros + Math.max(0, t.grantedMicros - t.spentMicros - outstandingMicros);
    }

    @Override
    public synchronized void retire() {
        retired = true;
    }

    /**
     * This round's reports: the current term's (a release once a retired key's requests are all settled) and a
     * final one for each closing term. Each carries one more in sequence and the figures as they are now.
     */
    public synchronized List<LeaseReport> reports() {
        Instant now = clock.instant();
        LeaseTerm t = current(now);
        if (!retired && idleWithBudget(t, now)) {
            // Budget an idle sidecar holds is budget its busy neighbours cannot get: give it back.
            closing.add(t);
            term = new LeaseTerm(t.periodStart);
            t = term;
        }
        List<LeaseReport> reports = new ArrayList<>();
        closing.forEach(old -> reports.add(old.report(key, 0, 0, 0, true)));
        if (retired) {
            if (!t.released) {
                reports.add(t.report(key, 0, 0, 0, outstandingMicros == 0));
            }
        } else {
            long wantMicros = wantMicros(now);
            long wantRequests = wantRequests(t, now);
            long wantTokens = wantTokens(t, now);
            if (!t.quiet(now, wantMicros, wantRequests, wantTokens)) {
                reports.add(t.report(key, wantMicros, wantRequests, wantTokens, false));
                reportSentNanos = System.nanoTime();
            }
        }
        return reports;
    }

    /** A term holding unspent budget it got over a minute ago, with nothing in flight and no request asking since. */
    private boolean idleWithBudget(LeaseTerm t, Instant now) {
        return config.budgetMicros() != null && t.toppedUpAt != null && outstandingMicros == 0 && t.grantedMicros > t.spentMicros
                && !t.toppedUpAt.plus(IDLE).isAfter(now) && recent.largestMicros(now.toEpochMilli()) == 0;
    }

    /**
     * Shutdown: every term's last report, releasing what it holds; but a request still in flight (it outlived the
     * drain) may yet spend from the current term, so that one is left to expire: the operator then counts its
     * unspent part as spent.
     */
    public synchronized List<LeaseReport> finalReports() {
        LeaseTerm t = current(clock.instant());
        List<LeaseReport> reports = new ArrayList<>();
        closing.forEach(old -> reports.add(old.report(key, 0, 0, 0, true)));
        reports.add(t.report(key, 0, 0, 0, outstandingMicros == 0));
        return reports;
    }

    /**
     * What is reserved now and what waiting requests need, plus about ten seconds of recent spend (at least the
     * largest recent reservation) to come: the lease grows with the demand this sidecar sees.
     */
    private long wantMicros(Instant now) {
        if (config.budgetMicros() == null) {
            return 0;
        }
        long millis = now.toEpochMilli();
        return Money.saturatedAdd(Money.saturatedAdd(outstandingMicros, waitingMicros),
                Math.max(recent.spentMicros(millis), recent.largestMicros(millis)));
    }

    /** What the recent rate needs beyond what this minute's allowance still holds; at least one request. */
    private long wantRequests(LeaseTerm t, Instant now) {
        if (config.requestsPerMinute() == null) {
            return 0;
        }
        return Math.max(0, Math.max(1, recent.requests(now.toEpochMilli())) - t.heldRequests(now));
    }

    private long wantTokens(LeaseTerm t, Instant now) {
        if (config.tokensPerMinute() == null) {
            return 0;
        }
        long millis = now.toEpochMilli();
        return Math.max(0, Math.max(recent.tokens(millis), recent.largestTokens(millis)) - t.heldTokens(now));
    }

    /** The operator's answer to one of this lease's reports. */
    public void apply(LeaseGrant grant) {
        List<Decided> decided;
        synchronized (this) {
            applyLocked(grant);
            decided = changed();
        }
        complete(decided);
    }

    private void applyLocked(LeaseGrant grant) {
        reachable = true;
        lastCallFailed = false;
        Instant now = clock.instant();
        LeaseTerm t = term.id.equals(grant.lease()) ? term : null;
        if (t != null) {
            answeredReportSentNanos = reportSentNanos;
            answered = true;
        }
        if (t == null) {
            // A closing term is done once the operator answered its release (not an earlier report's answer).
            closing.removeIf(old -> old.id.equals(grant.lease()) && old.releaseSent);
            return;
        }
        if (t.releaseSent) {
            t.released = true; // the operator has its last report
            return;
        }
        if (grant.error() != null) {
            return; // a refused report changes nothing
        }
        if (grant.periodStart() != null && grant.periodStart().isBefore(t.periodStart)) {
            // The operator's clock had not reached our period yet, so it opened the lease in the one before, which
            // grants nothing once the operator's clock gets here too: give it back; the next round opens another.
            closing.add(t);
            term = new LeaseTerm(t.periodStart);
            return;
        }
        t.apply(grant, now);
        keyRemainingMicros = grant.keyRemainingMicros();
        t.heldAtGrant = t.grantedMicros - t.spentMicros - outstandingMicros;
        lowAsked = false;
    }

    /** The call carrying this lease's reports got no answer. */
    public void unreachable() {
        List<Decided> decided;
        synchronized (this) {
            reachable = false;
            lastCallFailed = true;
            decided = changed();
        }
        complete(decided);
    }

    /** A retired key whose every term the operator has released: nothing more to report. */
    public synchronized boolean finished() {
        return retired && term.released && closing.isEmpty();
    }

    /** One request waiting for more: its need counts in what this lease asks for until it is decided. */
    private record Waiter(CompletableFuture<Boolean> more, long micros, LeaseWait leaseWait, long seenChanges) {
    }

    private record Decided(Waiter waiter, boolean more) {
    }

    /** An answer or a failure: every waiting request is judged again. */
    private List<Decided> changed() {
        changes++;
        return decide();
    }

    /** A wait's deadline, or its deadline plus {@link #ANSWER_WAIT}, passed. */
    private void recheck() {
        List<Decided> decided;
        synchronized (this) {
            decided = decide();
        }
        complete(decided);
    }

    private synchronized void forget(Waiter waiter) {
        if (waiting.remove(waiter)) {
            waitingMicros = Math.max(0, waitingMicros - waiter.micros());
        }
    }

    /** The waiting requests whose wait is over, taken from the list; completed once this lock is released. */
    private List<Decided> decide() {
        List<Decided> decided = new ArrayList<>();
        long now = System.nanoTime();
        waiting.removeIf(w -> {
            Boolean verdict = w.more().isDone() ? Boolean.FALSE : verdict(w, now);
            if (verdict == null) {
                return false;
            }
            waitingMicros = Math.max(0, waitingMicros - w.micros());
            decided.add(new Decided(w, verdict));
            return true;
        });
        return decided;
    }

    /**
     * True when something changed in time (or, past the wait, with the answer to a call that carried this need);
     * false when nothing more will come in time; null while the request should go on waiting.
     */
    private Boolean verdict(Waiter w, long now) {
        boolean inTime = now - w.leaseWait().deadlineNanos < 0;
        boolean heard = lastCallFailed || answered && answeredReportSentNanos - w.leaseWait().askedNanos >= 0;
        if (changes != w.seenChanges() && (inTime || heard)) {
            return true;
        }
        if (!inTime && heard || now - (w.leaseWait().deadlineNanos + ANSWER_WAIT.toNanos()) >= 0) {
            return false;
        }
        return null;
    }

    private static void complete(List<Decided> decided) {
        decided.forEach(d -> d.waiter().more().complete(d.more()));
    }

    /** The term of the current period; a new period closes the old term and starts with the key's whole budget known. */
    private LeaseTerm current(Instant now) {
        Instant period = config.period().startOf(now);
        if (!period.equals(term.periodStart)) {
            closing.add(term);
            term = new LeaseTerm(period);
            keyRemainingMicros = config.budgetMicros();
            lowAsked = false;
            askForRound.run();
        }
        return term;
    }

    /** Under a third of what the last grant left unspent: renew now rather than at the next round. */
    private void askIfLow(LeaseTerm t) {
        if (config.budgetMicros() == null || lowAsked || t.heldAtGrant <= 0) {
            return;
        }
        if ((t.grantedMicros - t.spentMicros - outstandingMicros) * 3 < t.heldAtGrant) {
            lowAsked = true;
            askForRound.run();
        }
    }

    @Override
    public synchronized String toString() {
        return "RemoteBudgetLease[" + key + ", lease " + term.id + ", granted " + term.grantedMicros + ", spent "
                + term.spentMicros + ", outstanding " + outstandingMicros + "]";
    }
}
