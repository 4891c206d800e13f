package dev.tollgate.operator.config;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;

/** Names and ages of Kubernetes objects as the snapshot uses them. */
final class ObjectNames {
    /** An object without a namespace is in "default", as kubectl would create it. */
    static final String DEFAULT_NAMESPACE = "default";

    /** Oldest first; equal ages by name, so conflicts resolve the same way every time. */
    static final Comparator<HasMetadata> OLDEST_FIRST =
            Comparator.comparing(ObjectNames::created).thenComparing(ObjectNames::id);

    private ObjectNames() {
    }

    static String namespace(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null || ns.isBlank() ? DEFAULT_NAMESPACE : ns;
    }

    /** {@code namespace/name}: provider, route and spend-key ids in the sidecar configuration. */
    static String id(HasMetadata object) {
        return namespace(object) + "/" + object.getMetadata().getName();
    }

    /** Objects not yet stored (local mode) have no creationTimestamp and count as oldest. */
    private static Instant created(HasMetadata object) {
        String ts = object.getMetadata().getCreationTimestamp();
        return ts == null || ts.isBlank() ? Instant.EPOCH : OffsetDateTime.parse(ts).toInstant();
    }
}
