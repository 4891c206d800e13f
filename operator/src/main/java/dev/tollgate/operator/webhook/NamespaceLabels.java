package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Namespace labels for the injection decision: one GET per namespace, kept for a short while.
 * Admission wants an answer within the webhook timeout and most pods come in bursts (a rollout),
 * so a cache of seconds saves the API server the repeats; a relabelled namespace counts after
 * at most {@code ttl}. Only namespaces that had pods admitted are kept.
 */
public final class NamespaceLabels {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final long ttlNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public NamespaceLabels(KubernetesClient client, Duration ttl) {
        this.client = client;
        this.ttlNanos = ttl.toNanos();
    }

    /**
     * The namespace's labels; none when it does not exist.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException the API server did not answer
     */
    public Map<String, String> of(String namespace) {
        long now = System.nanoTime();
        Cached cached = cache.get(namespace);
        if (cached != null && now - cached.fetchedAt < ttlNanos) {
            return cached.labels;
        }
        Namespace ns = client.namespaces().withName(namespace).get();
        Map<String, String> labels = ns == null || ns.getMetadata().getLabels() == null
                ? Map.of() : Map.copyOf(ns.getMetadata().getLabels());
        cache.put(namespace, new Cached(labels, now));
        return labels;
    }

    private record Cached(Map<String, String> labels, long fetchedAt) {
    }
}
