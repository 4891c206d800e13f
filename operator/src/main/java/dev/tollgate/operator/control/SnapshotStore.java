package dev.tollgate.operator.control;

import dev.tollgate.operator.config.SnapshotBuilder;
import dev.tollgate.operator.config.SnapshotInputs;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.wire.ControlSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current snapshot of every namespace a sidecar has asked for, and the sidecars waiting for
 * the next one. A change is rebuilt after a short debounce (a burst of events makes one build) on
 * one background thread; waiters are called as soon as a new version exists. Nothing here blocks
 * a caller: thousands of long polls cost a callback each, not a thread each.
 */
public final class SnapshotStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    /** The configuration is built with this version, serialised and digested: the digest is its version. */
    private static final String UNVERSIONED = "0";

    private final BiFunction<String, String, SnapshotInputs> inputs;
    private final Duration debounce;
    private final ControlApiMetrics metrics;
    private final Map<String, NamespaceState> namespaces = new ConcurrentHashMap<>();
    private final ScheduledExecutorService builder = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "tollgate-snapshots");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param inputs   what a namespace's snapshot is built from: (namespace, version) → inputs, e.g. from a {@link ClusterCache}
     * @param debounce how long events are gathered before a rebuild (at most 100 ms: changes must reach sidecars in well under a second)
     */
    public SnapshotStore(BiFunction<String, String, SnapshotInputs> inputs, Duration debounce, ControlApiMetrics metrics) {
        this.inputs = inputs;
        this.debounce = debounce;
        this.metrics = metrics;
    }

    /** Something that {@code namespace}'s snapshot is built from changed; a no-op for namespaces nobody asked for. */
    public void changed(String namespace) {
        NamespaceState state = namespaces.get(namespace);
        if (state != null && state.dirty.compareAndSet(false, true)) {
            builder.schedule(() -> rebuild(namespace, state), debounce.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Calls {@code onVersion} with the namespace's snapshot as soon as its version differs from
     * {@code knownVersion} (null: any version) — at once if it already does.
     *
     * @return cancels the wait (the caller gave up or went away); harmless after the call
     */
    public Runnable await(String namespace, Long knownVersion, Consumer<Published> onVersion) {
        NamespaceState state = namespaces.computeIfAbsent(namespace, ns -> {
            NamespaceState created = new NamespaceState();
            created.dirty.set(true);
            builder.execute(() -> rebuild(ns, created));
            return created;
        });
        Published ready;
        synchronized (state) {
            ready = state.published;
            if (ready == null || (knownVersion != null && ready.version() == knownVersion)) {
                state.waiters.add(onVersion);
                return () -> {
                    synchronized (state) {
                        state.waiters.remove(onVersion);
                    }
                };
            }
        }
        onVersion.accept(ready);
        return () -> { };
    }

    private void rebuild(String namespace, NamespaceState state) {
        state.dirty.set(false);
        GatewayConfig config;
        try {
            config = SnapshotBuilder.build(inputs.apply(namespace, UNVERSIONED)).config();
        } catch (RuntimeException e) {
            // Sidecars keep the last good snapshot; the next change tries again.
            LOG.warn("cannot build the snapshot of namespace {}: {}", namespace, e.getMessage());
            return;
        }
        byte[] content = ConfigJson.write(config);
        List<Consumer<Published>> woken;
        Published next;
        synchronized (state) {
            if (state.published != null && Arrays.equals(content, state.content)) {
                return;
            }
            long version = SnapshotVersions.of(content);
            GatewayConfig versioned = new GatewayConfig(Long.toString(version), config.providers(), config.routes(),
                    config.prices(), config.spendKeys());
            next = new Published(version, namespace, new ControlSnapshot(version, namespace, versioned).toJson());
            state.published = next;
            state.content = content;
            woken = new ArrayList<>(state.waiters);
            state.waiters.clear();
        }
        metrics.newVersion(namespace);
        LOG.info("namespace {}: snapshot version {} ({} routes, {} providers, {} spend keys)", namespace, next.version(),
                config.routes().size(), config.providers().size(), config.spendKeys().size());
        woken.forEach(waiter -> waiter.accept(next));
    }

    @Override
    public void close() {
        builder.shutdownNow();
    }

    /** One namespace's snapshot at one version, serialised once for every sidecar that fetches it. */
    public record Published(long version, String namespace, byte[] body) {
        @Override
        public String toString() {
            return "Published[namespace=" + namespace + ", version=" + version + ", " + body.length + " bytes]";
        }
    }

    private static final class NamespaceState {
        final AtomicBoolean dirty = new AtomicBoolean();
        final Set<Consumer<Published>> waiters = new LinkedHashSet<>();
        volatile Published published;
        byte[] content;
    }
}
