package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether a pod can take the sidecar as it is written. Where it cannot, injecting would break the
 * pod (the sidecar could not start, or would keep it from finishing), so the pod is admitted
 * unchanged and the user is told why.
 */
final class PodCompatibility {
    private PodCompatibility() {
    }

    /** @throws InjectionException naming what stands in the way */
    static void check(Pod pod, InjectionSettings settings) throws InjectionException {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            throw new InjectionException("the pod uses hostNetwork: the sidecar's ports " + settings.proxyPort() + " and "
                    + settings.adminPort() + " would be the node's, shared by every such pod there");
        }
        Set<Integer> ours = Set.of(settings.proxyPort(), settings.adminPort());
        for (Container container : containers(pod)) {
            for (ContainerPort port : list(container.getPorts())) {
                if (port.getContainerPort() != null && ours.contains(port.getContainerPort())) {
                    throw new InjectionException("container '" + container.getName() + "' already uses port "
                            + port.getContainerPort() + ", which the sidecar needs");
                }
            }
        }
        if (!settings.nativeSidecars()) {
            for (OwnerReference owner : list(pod.getMetadata().getOwnerReferences())) {
                if ("Job".equals(owner.getKind()) && owner.getApiVersion() != null && owner.getApiVersion().startsWith("batch/")) {
                    throw new InjectionException("the pod belongs to Job " + owner.getName() + " and this cluster has no"
                            + " native sidecars (Kubernetes < 1.29): a sidecar container would keep the Job from completing");
                }
            }
        }
        Set<String> volumes = SidecarContainer.volumes().stream().map(Volume::getName).collect(Collectors.toSet());
        for (Volume volume : list(pod.getSpec().getVolumes())) {
            if (volumes.contains(volume.getName())) {
                throw new InjectionException("the pod already has a volume named '" + volume.getName()
                        + "', which the sidecar needs");
            }
        }
    }

    private static List<Container> containers(Pod pod) {
        return Stream.concat(list(pod.getSpec().getInitContainers()).stream(), list(pod.getSpec().getContainers()).stream())
                .toList();
    }

    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : items;
    }
}
