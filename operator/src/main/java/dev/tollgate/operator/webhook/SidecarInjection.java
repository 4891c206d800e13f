package dev.tollgate.operator.webhook;

import static dev.tollgate.operator.webhook.JsonPatchOperation.add;
import static dev.tollgate.operator.webhook.JsonPatchOperation.pointer;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.operator.config.SpendKeyTokens;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Decides whether a pod gets the sidecar and writes the JSON patch that adds it. Pure: the pod,
 * its namespace's labels and the settings in, the patch out.
 *
 * <p>With native sidecars (Kubernetes 1.29+) the sidecar is the FIRST init container with
 * {@code restartPolicy: Always}: the kubelet starts it before anything else and waits for its
 * startup probe, so every later init container and every app container finds it ready. The
 * pod's own init containers then get the SDK variables too. Without native sidecars it is
 * appended to {@code containers}; init containers run before it exists and get nothing.
 */
public final class SidecarInjection {
    public static final String INJECT_LABEL = "tollgate.dev/inject";
    /** The namespace label value that opts every pod in (a pod can still say "false"). */
    public static final String NAMESPACE_ENABLED = "enabled";
    public static final String INJECTED_ANNOTATION = "tollgate.dev/injected";
    public static final String STATUS_ANNOTATION = "tollgate.dev/status";
    public static final String SPEND_KEY_ANNOTATION = "tollgate.dev/spend-key";
    public static final String CONTAINER_NAME = SidecarContainer.NAME;

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private SidecarInjection() {
    }

    /** Whether the pod's own label settles it (either way), so its namespace's labels need not be read. */
    public static boolean decidedByPod(Pod pod) {
        return labels(pod).containsKey(INJECT_LABEL);
    }

    /** Whether the pod's label, or else its namespace's, asks for the sidecar. */
    public static boolean requested(Pod pod, Map<String, String> namespaceLabels) {
        String podChoice = labels(pod).get(INJECT_LABEL);
        if (podChoice != null) {
            return podChoice.equals("true");
        }
        return NAMESPACE_ENABLED.equals(namespaceLabels.get(INJECT_LABEL));
    }

    /**
     * The patch for this pod; empty when it does not ask for the sidecar or already has it, so
     * a second admission of the patched pod changes nothing.
     *
     * @throws InjectionException the pod asks for the sidecar but cannot have it as written
     */
    public static List<JsonPatchOperation> patch(Pod pod, Map<String, String> namespaceLabels, InjectionSettings settings)
            throws InjectionException {
        if (!requested(pod, namespaceLabels) || alreadyInjected(pod)) {
            return List.of();
        }
        String spendKey = spendKey(pod);
        PodCompatibility.check(pod, settings);

        List<JsonPatchOperation> ops = new ArrayList<>();
        AppEnvironment appEnv = new AppEnvironment(settings, spendKey);
        // Env first, while every container is still at its original index.
        Map<String, List<String>> envAdded = new LinkedHashMap<>();
        addEnv(ops, envAdded, "containers", pod.getSpec().getContainers(), appEnv);
        if (settings.nativeSidecars()) {
            addEnv(ops, envAdded, "initContainers", pod.getSpec().getInitContainers(), appEnv);
        }
        appendAll(ops, pointer("spec", "volumes"), pod.getSpec().getVolumes(), SidecarContainer.volumes());
        Container sidecar = SidecarContainer.container(pod, settings, spendKey);
        if (settings.nativeSidecars()) {
            insertFirst(ops, pointer("spec", "initContainers"), pod.getSpec().getInitContainers(), sidecar);
        } else {
            appendAll(ops, pointer("spec", "containers"), pod.getSpec().getContainers(), List.of(sidecar));
        }
        addAnnotations(ops, pod, Map.of(
                INJECTED_ANNOTATION, settings.image(),
                STATUS_ANNOTATION, status(settings, envAdded)));
        return List.copyOf(ops);
    }

    private static boolean alreadyInjected(Pod pod) {
        if (pod.getMetadata().getAnnotations() != null && pod.getMetadata().getAnnotations().containsKey(INJECTED_ANNOTATION)) {
            return true;
        }
        return Stream.concat(list(pod.getSpec().getInitContainers()).stream(), list(pod.getSpec().getContainers()).stream())
                .anyMatch(c -> CONTAINER_NAME.equals(c.getName()));
    }

    /** The annotation names a SpendKey whose Secret the app containers read; a bad name would never start. */
    private static String spendKey(Pod pod) throws InjectionException {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String name = annotations == null ? null : annotations.get(SPEND_KEY_ANNOTATION);
        if (name == null) {
            return null;
        }
        if (!KubernetesResourceUtil.isValidSubdomainName(SpendKeyTokens.secretName(name))) {
            throw new InjectionException("annotation " + SPEND_KEY_ANNOTATION + " must name a SpendKey"
                    + " (lowercase letters, digits, '-' and '.'), got '" + name + "'");
        }
        return name;
    }

    private static void addEnv(List<JsonPatchOperation> ops, Map<String, List<String>> added, String field,
                               List<Container> containers, AppEnvironment appEnv) {
        List<Container> all = list(containers);
        for (int i = 0; i < all.size(); i++) {
            Container container = all.get(i);
            List<EnvVar> missing = appEnv.missingFrom(container);
            if (missing.isEmpty()) {
                continue;
            }
            JsonPointer env = pointer("spec", field).appendIndex(i).appendProperty("env");
            appendAll(ops, env, container.getEnv(), missing);
            added.put(container.getName(), missing.stream().map(EnvVar::getName).toList());
        }
    }

    /** Appends to an array, or creates it when the pod has none (an empty one is replaced alike). */
    private static void appendAll(List<JsonPatchOperation> ops, JsonPointer array, List<?> existing, List<?> items) {
        if (list(existing).isEmpty()) {
            ops.add(add(array, json(items)));
            return;
        }
        for (Object item : items) {
            ops.add(add(array.appendProperty("-"), json(item)));
        }
    }

    private static void insertFirst(List<JsonPatchOperation> ops, JsonPointer array, List<?> existing, Object item) {
        if (list(existing).isEmpty()) {
            ops.add(add(array, json(List.of(item))));
        } else {
            ops.add(add(array.appendIndex(0), json(item)));
        }
    }

    private static void addAnnotations(List<JsonPatchOperation> ops, Pod pod, Map<String, String> ours) {
        Map<String, String> existing = pod.getMetadata().getAnnotations();
        if (existing == null || existing.isEmpty()) {
            ops.add(add(pointer("metadata", "annotations"), json(new TreeMap<>(ours))));
            return;
        }
        ours.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> ops.add(add(pointer("metadata", "annotations", e.getKey()), json(e.getValue()))));
    }

    /** What was added, for {@code kubectl describe}: the sidecar, how, its volumes, env per container. */
    private static String status(InjectionSettings settings, Map<String, List<String>> envAdded) {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("container", CONTAINER_NAME);
        status.put("mode", settings.nativeSidecars() ? "native-sidecar" : "container");
        status.set("volumes", json(SidecarContainer.volumes().stream().map(Volume::getName).toList()));
        status.set("env", json(envAdded));
        return status.toString();
    }

    private static JsonNode json(Object value) {
        return SERIALIZATION.convertValue(value, JsonNode.class);
    }

    private static Map<String, String> labels(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : items;
    }
}
