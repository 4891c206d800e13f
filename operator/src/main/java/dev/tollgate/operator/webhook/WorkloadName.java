package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The workload a pod belongs to, as metrics and usage lines name it: a Deployment's pod is owned by
 * ReplicaSet {@code <deployment>-<pod-template-hash>}, so the hash is cut off; StatefulSet,
 * DaemonSet and Job pods take their owner's name; anything else its generateName or name.
 */
final class WorkloadName {
    private static final Set<String> NAMED_BY_OWNER = Set.of("StatefulSet", "DaemonSet", "Job");
    private static final String TEMPLATE_HASH_LABEL = "pod-template-hash";

    private WorkloadName() {
    }

    static String of(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        OwnerReference owner = controller(meta.getOwnerReferences());
        if (owner != null && "ReplicaSet".equals(owner.getKind())) {
            return withoutTemplateHash(owner.getName(), meta.getLabels());
        }
        if (owner != null && NAMED_BY_OWNER.contains(owner.getKind())) {
            return owner.getName();
        }
        String generateName = meta.getGenerateName();
        if (generateName != null && !generateName.isBlank()) {
            return trimTrailingDashes(generateName);
        }
        return meta.getName() == null ? "" : meta.getName();
    }

    /** The controlling owner; a pod lists at most one, but hand-written pods may only list others. */
    private static OwnerReference controller(List<OwnerReference> owners) {
        if (owners == null || owners.isEmpty()) {
            return null;
        }
        return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(owners.get(0));
    }

    /** The pod's pod-template-hash label says exactly which suffix to cut; without it, the last segment. */
    private static String withoutTemplateHash(String replicaSet, Map<String, String> labels) {
        String hash = labels == null ? null : labels.get(TEMPLATE_HASH_LABEL);
        if (hash != null && replicaSet.endsWith("-" + hash)) {
            return replicaSet.substring(0, replicaSet.length() - hash.length() - 1);
        }
        int dash = replicaSet.lastIndexOf('-');
        return dash > 0 ? replicaSet.substring(0, dash) : replicaSet;
    }

    private static String trimTrailingDashes(String name) {
        int end = name.length();
        while (end > 1 && name.charAt(end - 1) == '-') {
            end--;
        }
        return name.substring(0, end);
    }
}
