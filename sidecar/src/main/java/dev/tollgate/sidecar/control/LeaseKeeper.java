package dev.tollgate.sidecar.control;

import dev.tollgate.sidecar.wire.LeaseAnswer;
import dev.tollgate.sidecar.wire.LeaseCall;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import dev.tollgate.sidecar.spend.OperatorLeases;
import dev.tollgate.sidecar.spend.RemoteBudgetLease;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Keeps this sidecar's spend-key leases (in-cluster mode), on one background thread: one {@code POST /v1/leases}
 * per round carrying a report for every lease, about every second, sooner when a lease asks (running low, a
 * request waiting) but never more than every {@link #MIN_GAP}; after a failed call it backs off (0.5 s doubling
 * to 5 s, jittered) and asks do not hurry it. On {@link #close()} it makes one last call releasing every lease.
 */
public final class LeaseKeeper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class.getName());
    static final Duration ROUND = Duration.ofSeconds(1);
    static final Duration MIN_GAP = Duration.ofMillis(50);

    private final LeaseTransport transport;
    private final OperatorLeases leases;
    private final GatewayMetrics metrics;
    private final Runnable afterCall;
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
    private final Thread thread;
    // Used by one thread at a time: the keeper's, then close()'s.
    private String lastFailure;

    /**
     * @param afterCall runs after every answered call, e.g. to publish what each key now holds
     */
    public LeaseKeeper(LeaseTransport transport, OperatorLeases leases, GatewayMetrics metrics, Runnable afterCall) {
        this.transport = transport;
        this.leases = leases;
        this.metrics = metrics;
        this.afterCall = afterCall;
        this.thread = new Thread(this::run, "tollgate-leases");
        thread.setDaemon(true);
    }

    public LeaseKeeper start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long started = System.nanoTime();
                if (round(false)) {
                    backoff.reset();
                    Thread.sleep(Math.max(0, MIN_GAP.toMillis() - (System.nanoTime() - started) / 1_000_000));
                    leases.awaitAsk(Math.max(0, ROUND.toMillis() - (System.nanoTime() - started) / 1_000_000));
                } else {
                    Thread.sleep(backoff.next().toMillis());
                }
            }
        } catch (InterruptedException e) {
            // close(): the last call releases the leases.
        }
    }

    /**
     * One call with every lease's reports, and its answer applied. True when the operator answered (or there was
     * nothing to report); false when it could not be reached or refused the call.
     */
    boolean round(boolean releaseAll) throws InterruptedException {
        List<RemoteBudgetLease> all = leases.all();
        List<LeaseReport> reports = new ArrayList<>();
        Map<String, RemoteBudgetLease> byLeaseId = new HashMap<>();
        for (RemoteBudgetLease lease : all) {
            for (LeaseReport report : releaseAll ? lease.finalReports() : lease.reports()) {
                reports.add(report);
                byLeaseId.put(report.lease(), lease);
            }
        }
        if (reports.isEmpty()) {
            return true;
        }
        LeaseAnswer answer;
        try {
            answer = transport.lease(new LeaseCall(reports));
        } catch (IOException e) {
            metrics.leaseCall("failed");
            failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            all.forEach(RemoteBudgetLease::unreachable);
            return false;
        }
        metrics.leaseCall("ok");
        if (lastFailure != null) {
            LOG.info("lease calls answered again");
            lastFailure = null;
        }
        for (LeaseGrant grant : answer.leases()) {
            RemoteBudgetLease lease = grant.lease() == null ? null : byLeaseId.get(grant.lease());
            if (lease == null) {
                continue; // not a lease of this call: nothing to apply it to
            }
            if (grant.error() != null) {
                LOG.warning("the operator refused the lease report of spend key " + lease.key() + ": " + grant.error());
            }
            lease.apply(grant);
        }
        all.stream().filter(RemoteBudgetLease::finished).forEach(leases::forget);
        afterCall.run();
        return true;
    }

    /** Logs a failure once, not on every retry. */
    private void failed(String message) {
        if (!message.equals(lastFailure)) {
            LOG.warning("lease call failed: " + message);
        }
        lastFailure = message;
    }

    /** Stops the rounds, then releases every lease in one last call (the operator may be away: then it expires them). */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(10_000);
            round(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
