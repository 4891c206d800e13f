package dev.tollgate.operator.lease;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chat requests at a fixed rate to every sidecar with every key, open loop: a tick sends one request per sidecar and
 * key whatever the earlier ones are doing, and each request's latency counts from its tick.
 */
final class SteadyLoad {
    private SteadyLoad() {
    }

    /** One key's requests: the latencies of those served, and how many were refused. */
    record Outcome(long[] servedNanos, int refused) {
        long percentileMicros(double p) {
            long[] sorted = servedNanos.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? 0 : sorted[(int) Math.round(p * (sorted.length - 1))] / 1_000;
        }
    }

    /** Runs {@code length} at {@code perSecond} requests per sidecar and key; returns the outcome per key name. */
    static Map<String, Outcome> run(List<SidecarPod> pods, List<SpendKeyRef> keys, int perSecond, Duration length)
            throws InterruptedException {
        Map<String, Queue<Long>> served = new LinkedHashMap<>();
        Map<String, AtomicInteger> refused = new LinkedHashMap<>();
        keys.forEach(k -> {
            served.put(k.name(), new ConcurrentLinkedQueue<>());
            refused.put(k.name(), new AtomicInteger());
        });
        Queue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        try {
            ticks.scheduleAtFixedRate(() -> {
                long due = System.nanoTime();
                for (SidecarPod pod : pods) {
                    for (SpendKeyRef key : keys) {
                        pending.add(pod.chatAsync(key).thenAccept((HttpResponse<String> answer) -> {
                            if (answer.statusCode() == 200) {
                                served.get(key.name()).add(System.nanoTime() - due);
                            } else {
                                refused.get(key.name()).incrementAndGet();
                            }
                        }));
                    }
                }
            }, 0, 1_000_000_000L / perSecond, TimeUnit.NANOSECONDS);
            Thread.sleep(length.toMillis());
        } finally {
            ticks.shutdownNow();
            ticks.awaitTermination(5, TimeUnit.SECONDS);
        }
        pending.forEach(CompletableFuture::join); // each request has a 30 s timeout
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        keys.forEach(k -> outcomes.put(k.name(), new Outcome(served.get(k.name()).stream().mapToLong(Long::longValue).toArray(),
                refused.get(k.name()).get())));
        return outcomes;
    }
}
