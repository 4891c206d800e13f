package dev.tollgate.sidecar.control;

import dev.tollgate.sidecar.wire.ControlSnapshot;
import dev.tollgate.sidecar.Sidecar;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.spend.OperatorLeases;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A sidecar configured by the operator (in-cluster mode). It listens at once but is not ready
 * until it has a configuration: from the operator, or — when the operator cannot be reached within
 * the bootstrap time — from the snapshot an earlier run of this pod kept. Then it long-polls for
 * new versions for as long as it runs, applying each without failing a request in flight, keeping
 * it on disk, and backing off (0.5 s doubling to 30 s, jittered) while the operator is away — or
 * while anything else goes wrong: polling ends only with {@link #close()}. A snapshot this sidecar
 * refuses counts as none: at the end of the bootstrap the kept one is used. Its spend keys spend what the
 * operator leases them, kept by a {@link LeaseKeeper} over the same client.
 */
public final class InClusterSidecar implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InClusterSidecar.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SidecarSettings settings;
    private final ControlSettings control;
    private final ControlClient client;
    private final SnapshotFile file;
    private final Clock clock = Clock.systemUTC();
    private final AtomicReference<ConfigStatus> status;
    private final Sidecar sidecar;
    private final LeaseKeeper leaseKeeper;
    private final Thread poller;
    // Used by the poller thread only.
    private ControlSnapshot applied;
    private String source;
    private Instant lastContact;
    private boolean stateFileTried;
    private String lastFailure;

    private InClusterSidecar(SidecarSettings settings, ControlSettings control, Clock budgetClock) {
        this.settings = settings;
        this.control = control;
        this.client = new ControlClient(control);
        this.file = new SnapshotFile(control.stateDir());
        this.status = new AtomicReference<>(ConfigStatus.waiting("no configuration yet: asking the operator at " + control.controlUrl()));
        OperatorLeases leases = new OperatorLeases(budgetClock);
        this.sidecar = Sidecar.startAwaitingConfig(settings, status::get, leases);
        this.leaseKeeper = new LeaseKeeper(client, leases, sidecar.metrics(), sidecar::publishBudgets).start();
        this.poller = new Thread(this::poll, "tollgate-control");
        poller.setDaemon(true);
        poller.start();
    }

    /** Starts listening (not ready) and fetching the configuration in the background. */
    public static InClusterSidecar start(SidecarSettings settings, ControlSettings control) {
        return start(settings, control, Clock.systemUTC());
    }

    /** As {@link #start(SidecarSettings, ControlSettings)}, budget periods and leases on {@code budgetClock} (tests). */
    public static InClusterSidecar start(SidecarSettings settings, ControlSettings control, Clock budgetClock) {
        return new InClusterSidecar(settings, control, budgetClock);
    }

    public Sidecar sidecar() {
        return sidecar;
    }

    public ConfigStatus status() {
        return status.get();
    }

    private void poll() {
        Instant bootstrapEnds = clock.instant().plus(control.bootstrap());
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        Long known = null;
        while (!Thread.currentThread().isInterrupted()) {
            Duration wait;
            try {
                if (applied == null && !stateFileTried && !clock.instant().isBefore(bootstrapEnds)) {
                    stateFileTried = true;
                    Long kept = startFromStateFile();
                    known = kept == null ? known : kept;
                }
                Optional<ControlSnapshot> answer = client.fetch(known);
                lastContact = clock.instant();
                backoff.reset();
                if (lastFailure != null) {
                    LOG.info("operator reachable again at " + control.controlUrl());
                    lastFailure = null;
                }
                if (answer.isPresent()) {
                    // Whether applied or refused, this version is not asked for again.
                    known = answer.get().version();
                    apply(answer.get(), "operator");
                } else if (applied != null) {
                    source = "operator"; // 304: what we serve is the operator's current version
                }
                publish(true);
                // The operator answered with nothing this sidecar can use, and will not answer again until
                // something changes: at the end of the bootstrap the kept snapshot is the best there is.
                wait = applied == null && !stateFileTried ? untilEnd(bootstrapEnds) : Duration.ZERO;
            } catch (IOException | ConfigException e) {
                failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                publish(false);
                wait = nextWait(backoff, bootstrapEnds);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug or an answer nobody foresaw must not end polling: this sidecar would never get
                // another version. The message is not logged, as it may quote a header or the token.
                failed("unexpected " + e.getClass().getName() + " at " + where(e));
                publish(false);
                wait = nextWait(backoff, bootstrapEnds);
            }
            if (!sleep(wait)) {
                return;
            }
        }
    }

    /** The backoff's next wait, but no later than the end of the bootstrap while nothing is served. */
    private Duration nextWait(Backoff backoff, Instant bootstrapEnds) {
        Duration wait = backoff.next();
        return applied == null && !stateFileTried ? min(wait, untilEnd(bootstrapEnds)) : wait;
    }

    private Duration untilEnd(Instant end) {
        Duration left = Duration.between(clock.instant(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String where(RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "unknown place" : trace[0].toString();
    }

    private void apply(ControlSnapshot snapshot, String from) {
        if (!snapshot.namespace().equals(settings.namespace())) {
            LOG.warning("ignored a snapshot of namespace " + snapshot.namespace() + "; this pod is in " + settings.namespace());
            return;
        }
        try {
            sidecar.apply(snapshot.config());
        } catch (ConfigException e) {
            LOG.warning("ignored snapshot version " + snapshot.version() + ", kept the current configuration: " + e.getMessage());
            return;
        }
        applied = snapshot;
        source = from;
        LOG.info("applied configuration version " + snapshot.version() + " from the " + from + " ("
                + snapshot.config().routes().size() + " routes)");
        if (from.equals("operator")) {
            try {
                file.write(snapshot);
            } catch (IOException e) {
                LOG.warning("cannot keep the snapshot in " + file.path() + ": " + e.getMessage());
            }
        }
    }

    /** The operator is away past the bootstrap time: serve what this pod kept, if anything. */
    private Long startFromStateFile() {
        try {
            Optional<ControlSnapshot> kept = file.read();
            if (kept.isEmpty()) {
                LOG.warning("operator unreachable and no " + file.path() + " yet; not ready until the operator answers");
                return null;
            }
            LOG.warning("operator unreachable; serving the kept snapshot " + file.path() + " until it answers");
            apply(kept.get(), "state-file");
            return applied == null ? null : applied.version();
        } catch (IOException | ConfigException e) {
            LOG.warning("cannot use " + file.path() + ": " + e.getMessage());
            return null;
        }
    }

    /** Logs a failure once, not on every retry. */
    private void failed(String message) {
        if (!message.equals(lastFailure)) {
            LOG.warning("operator at " + control.controlUrl() + " unreachable: " + message);
        }
        lastFailure = message;
    }

    private void publish(boolean reachable) {
        if (applied == null) {
            status.set(ConfigStatus.waiting("no configuration yet: operator at " + control.controlUrl()
                    + (reachable ? " has not answered with one" : " unreachable (" + lastFailure + ")")
                    + (stateFileTried ? " and no usable " + file.path() : "")));
            return;
        }
        status.set(new ConfigStatus(true, source, Long.toString(applied.version()), reachable, lastContact, null));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static boolean sleep(Duration wait) {
        try {
            Thread.sleep(Math.max(0, wait.toMillis()));
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Stops polling, stops the sidecar (letting requests in flight finish and settle), then releases its leases
     * with their final figures.
     */
    @Override
    public void close() {
        poller.interrupt();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            sidecar.close();
        } finally {
            leaseKeeper.close(); // a usage log that fails to close must not keep the leases from being released
        }
    }
}
