package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.config.SpendKeyConfig;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leases this sidecar holds from the operator (in-cluster mode), one per spend key, and the signal by which a
 * lease asks the {@code LeaseKeeper} for a round now rather than at the next second (running low, or a request
 * waiting). A lease stays here after its key left the configuration until the operator has its release.
 */
public final class OperatorLeases implements LeaseSource {
    private final Clock clock;
    private final Set<RemoteBudgetLease> leases = ConcurrentHashMap.newKeySet();
    private boolean asked; // guarded by this

    public OperatorLeases(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** A new key gets a lease; a new policy or period keeps it (its grant and reports belong to the key, not the policy). */
    @Override
    public BudgetLease lease(BudgetLease current, SpendKeyConfig config, long spentMicros, long reservedMicros) {
        if (current instanceof RemoteBudgetLease remote) {
            remote.policy(config);
            return remote;
        }
        RemoteBudgetLease lease = new RemoteBudgetLease(config, reservedMicros, clock, this::ask);
        leases.add(lease);
        ask();
        return lease;
    }

    /** Every lease to report on, by key name. */
    public List<RemoteBudgetLease> all() {
        return leases.stream().sorted(Comparator.comparing(RemoteBudgetLease::key)).toList();
    }

    /** The operator released every term of this lease: nothing more to report. */
    public void forget(RemoteBudgetLease lease) {
        leases.remove(lease);
    }

    synchronized void ask() {
        asked = true;
        notifyAll();
    }

    /** Waits up to {@code millis} for a lease to ask for a round; true (and the ask is taken) if one did. */
    public synchronized boolean awaitAsk(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long left;
        while (!asked && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
        boolean was = asked;
        asked = false;
        return was;
    }
}
