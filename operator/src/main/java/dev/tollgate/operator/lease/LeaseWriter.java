package dev.tollgate.operator.lease;

import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Every write of a SpendKey's status: a compare-and-swap (replaced only while the {@code resourceVersion}
 * is the one read; on 409 read again and apply again), so any number of operator replicas keep one consistent
 * ledger without a leader. Per key, changes that arrive while a write is in flight, or within
 * {@link #WRITE_GAP} of the last one, wait and go together in the next write: however many sidecars
 * spend from a key, this replica writes it at most five times a second. Callers never block: they get
 * a future, completed on the writer's threads (exceptionally once the writer is closed).
 */
public final class LeaseWriter implements AutoCloseable {
    /** Conflicts only come from other replicas' writes of the same key; this many in a row is a fault. */
    static final int MAX_ATTEMPTS = 50;
    /** Least time between two writes of one key by this replica; well inside a waiting request's 1 s. */
    static final Duration WRITE_GAP = Duration.ofMillis(200);

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, KeyQueue> queues = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writers;

    public LeaseWriter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.writers = Executors.newScheduledThreadPool(4, task -> {
            Thread thread = new Thread(task, "tollgate-lease-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * What one call got: a grant per report, in the call's order, and per key how many reports got more
     * and how many wanted more and got none (for the metrics).
     */
    public record Leased(List<LeaseGrant> grants, List<Tally> tallies) {
    }

    public record Tally(String key, int granted, int denied) {
    }

    /**
     * Applies one pod's reports (any keys of its namespace). A report naming a key that does not exist
     * is answered with an error.
     */
    public CompletableFuture<Leased> lease(String namespace, String holder, List<LeaseReport> reports) {
        Map<String, List<LeaseReport>> byKey = new LinkedHashMap<>();
        reports.forEach(r -> byKey.computeIfAbsent(r.key() == null ? "" : r.key(), k -> new ArrayList<>()).add(r));
        Map<String, CompletableFuture<KeyLeased>> answers = new LinkedHashMap<>();
        byKey.forEach((key, keyReports) -> {
            LeaseChange change = new LeaseChange(namespace, key, holder, keyReports);
            answers.put(key, key.isEmpty() ? CompletableFuture.completedFuture(change.unknownKey()) : submit(namespace, key, change));
        });
        return CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, Integer> next = new LinkedHashMap<>();
            List<LeaseGrant> grants = reports.stream().map(r -> {
                String key = r.key() == null ? "" : r.key();
                int index = next.merge(key, 1, Integer::sum) - 1;
                return answers.get(key).join().grants().get(index);
            }).toList();
            List<Tally> tallies = answers.entrySet().stream()
                    .map(e -> new Tally(e.getKey(), e.getValue().join().granted(), e.getValue().join().denied())).toList();
            return new Leased(grants, tallies);
        });
    }

    private record KeyLeased(List<LeaseGrant> grants, int granted, int denied) {
    }

    /**
     * Any other change of a key's status through the same path, e.g. the reconciler's state and
     * conditions. {@code change} gets the key as just read (status as earlier changes in the batch left
     * it; never null) and the instant of the write, and must be a pure function: it runs again after a conflict.
     *
     * @return the key as written, or as read when nothing changed; null when the key does not exist
     */
    public CompletableFuture<SpendKey> update(String namespace, String name, BiFunction<SpendKey, Instant, SpendKeyStatus> change) {
        return submit(namespace, name, new StatusChange(change));
    }

    private <T> CompletableFuture<T> submit(String namespace, String name, Change<T> change) {
        KeyQueue queue = queues.computeIfAbsent(namespace + "/" + name, k -> new KeyQueue(namespace, name));
        boolean start;
        synchronized (queue) {
            queue.pending.add(change);
            start = !queue.writing;
            queue.writing = true;
        }
        if (start) {
            schedule(queue);
        }
        return change.done;
    }

    private void schedule(KeyQueue queue) {
        long wait;
        synchronized (queue) {
            wait = queue.nextWriteNanos - System.nanoTime();
        }
        try {
            writers.schedule(() -> drain(queue), Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            failPending(queue);
        }
    }

    /** Closed: what waits for a write gets an error rather than no answer ever. */
    private static void failPending(KeyQueue queue) {
        List<Change<?>> failed;
        synchronized (queue) {
            failed = queue.pending;
            queue.pending = new ArrayList<>();
            queue.writing = false;
        }
        IllegalStateException closed = new IllegalStateException("the lease writer is closed");
        failed.forEach(c -> c.done.completeExceptionally(closed));
    }

    /** Writes what is pending as one batch; what arrives meanwhile goes in the next, after the gap. */
    private void drain(KeyQueue queue) {
        List<Change<?>> batch;
        synchronized (queue) {
            batch = queue.pending;
            queue.pending = new ArrayList<>();
        }
        try {
            write(queue, batch);
        } catch (RuntimeException | Error e) {
            // Whatever went wrong, every caller gets an answer and the key's later changes are written.
            batch.forEach(c -> c.done.completeExceptionally(e));
        }
        boolean more;
        synchronized (queue) {
            queue.nextWriteNanos = System.nanoTime() + WRITE_GAP.toNanos();
            more = !queue.pending.isEmpty();
            queue.writing = more;
        }
        if (more) {
            schedule(queue);
        }
    }

    private void write(KeyQueue queue, List<Change<?>> batch) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            SpendKey key = client.resources(SpendKey.class).inNamespace(queue.namespace).withName(queue.name).get();
            if (key == null) {
                batch.forEach(Change::missing);
                return;
            }
            Instant now = clock.instant();
            SpendKeyStatus read = key.getStatus();
            for (Change<?> change : batch) {
                key.setStatus(change.apply(key, now));
            }
            if (Objects.equals(read, key.getStatus())) {
                for (Change<?> change : batch) {
                    change.written(key);
                }
                return;
            }
            try {
                SpendKey written = compareAndSwap(client, key);
                for (Change<?> change : batch) {
                    change.written(written);
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                pause(attempt);
            }
        }
        throw new IllegalStateException("SpendKey " + queue.namespace + "/" + queue.name + ": " + MAX_ATTEMPTS
                + " conflicting writes in a row");
    }

    /**
     * Replaces the status of {@code key} only if the object's resourceVersion is still the one in {@code key}
     * (else 409). A JSON patch that also sets {@code metadata.resourceVersion}: the API server checks a
     * patched object's resourceVersion like an update's, and so does the Fabric8 mock server, which
     * ignores it on a PUT of the status subresource.
     */
    static SpendKey compareAndSwap(KubernetesClient client, SpendKey key) {
        String patch = Serialization.asJson(List.of(
                Map.of("op", "add", "path", "/metadata/resourceVersion", "value", key.getMetadata().getResourceVersion()),
                Map.of("op", "add", "path", "/status", "value", key.getStatus())));
        return client.resources(SpendKey.class).inNamespace(key.getMetadata().getNamespace()).withName(key.getMetadata().getName())
                .subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
    }

    /** A short random pause, growing with the attempts, so two replicas racing for a key fall out of step. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + 2L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a SpendKey", e);
        }
    }

    @Override
    public void close() {
        writers.shutdownNow();
        try {
            writers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queues.values().forEach(LeaseWriter::failPending);
    }

    private static final class KeyQueue {
        final String namespace;
        final String name;
        List<Change<?>> pending = new ArrayList<>();
        boolean writing;
        long nextWriteNanos = System.nanoTime();

        KeyQueue(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
        }
    }

    /** One change in a batch; {@link #apply} may run several times (conflicts), the completion once. */
    private abstract static class Change<T> {
        final CompletableFuture<T> done = new CompletableFuture<>();

        abstract SpendKeyStatus apply(SpendKey key, Instant now);

        abstract void written(SpendKey key);

        abstract void missing();
    }

    private static final class LeaseChange extends Change<KeyLeased> {
        private final String namespace;
        private final String key;
        private final List<LeaseBook.HolderReport> reports;
        private LeaseBook.Result result;

        LeaseChange(String namespace, String key, String holder, List<LeaseReport> reports) {
            this.namespace = namespace;
            this.key = key;
            this.reports = reports.stream().map(r -> new LeaseBook.HolderReport(holder, r)).toList();
        }

        @Override
        SpendKeyStatus apply(SpendKey spendKey, Instant now) {
            SpendKeyStatus status = spendKey.getStatus();
            // Whether the key is usable at all is the reconciler's finding (it needs the token Secret); kept as it says.
            boolean invalid = status != null && KeyTerms.INVALID.equals(status.state());
            result = LeaseBook.apply(status, spendKey.getSpec(), invalid, now, reports);
            return result.status();
        }

        @Override
        void written(SpendKey spendKey) {
            done.complete(new KeyLeased(result.grants(), result.granted(), result.denied()));
        }

        @Override
        void missing() {
            done.complete(unknownKey());
        }

        KeyLeased unknownKey() {
            String error = key.isEmpty() ? "key is required" : "no SpendKey '" + key + "' in namespace " + namespace;
            return new KeyLeased(reports.stream().map(r -> new LeaseGrant(r.report().key(), r.report().lease(), 0, null, 0, null,
                    0, 0, null, null, null, error)).toList(), 0, 0); // not counted: a made-up name would make a metric series
        }
    }

    private static final class StatusChange extends Change<SpendKey> {
        private final BiFunction<SpendKey, Instant, SpendKeyStatus> change;

        StatusChange(BiFunction<SpendKey, Instant, SpendKeyStatus> change) {
            this.change = change;
        }

        @Override
        SpendKeyStatus apply(SpendKey key, Instant now) {
            return change.apply(key, now);
        }

        @Override
        void written(SpendKey key) {
            done.complete(key);
        }

        @Override
        void missing() {
            done.complete(null);
        }
    }
}
