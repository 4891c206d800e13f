package dev.tollgate.operator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.SidecarFlag;
import dev.tollgate.sidecar.control.ControlSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The injected sidecar container and the two volumes it mounts, per the operator contracts. */
final class SidecarContainer {
    static final String NAME = "tollgate-sidecar";
    static final String TOKEN_VOLUME = "tollgate-token";
    static final String STATE_VOLUME = "tollgate-state";
    static final String TOKEN_AUDIENCE = "tollgate.dev";
    static final String TOKEN_DIR = "/var/run/secrets/tollgate.dev/serviceaccount";
    static final String TOKEN_FILE = TOKEN_DIR + "/token";
    static final String STATE_DIR = "/var/run/tollgate";
    /** An hour, the usual projected-token lifetime; the kubelet refreshes it well before expiry. */
    static final long TOKEN_EXPIRATION_SECONDS = 3600;
    /** Room for snapshot.json, which holds one namespace's routes, keys and prices. */
    static final String STATE_SIZE_LIMIT = "16Mi";
    /** A non-root UID (distroless's "nonroot"), so runAsNonRoot holds whatever the image says. */
    static final long RUN_AS_USER = 65532;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SidecarContainer() {
    }

    static Container container(Pod pod, InjectionSettings settings, String spendKey) {
        ContainerBuilder builder = new ContainerBuilder()
                .withName(NAME)
                .withImage(settings.image())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withArgs(SidecarFlag.PORT.flag(), Integer.toString(settings.proxyPort()),
                        SidecarFlag.ADMIN_PORT.flag(), Integer.toString(settings.adminPort()),
                        SidecarFlag.MAX_CONCURRENT.flag(), Integer.toString(settings.maxConcurrent()))
                .addNewPort().withName("proxy").withContainerPort(settings.proxyPort()).withProtocol("TCP").endPort()
                .addNewPort().withName("admin").withContainerPort(settings.adminPort()).withProtocol("TCP").endPort()
                .withEnv(env(pod, settings, spendKey))
                .withResources(resources(settings))
                // Started and ready means it has a configuration: only then do the app's containers start.
                .withStartupProbe(probe("/readyz", settings.adminPort(), 1, 120))
                .withReadinessProbe(probe("/readyz", settings.adminPort(), 5, 3))
                .withLivenessProbe(probe("/healthz", settings.adminPort(), 10, 3))
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(RUN_AS_USER)
                    .withReadOnlyRootFilesystem(true)
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount().withName(TOKEN_VOLUME).withMountPath(TOKEN_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName(STATE_VOLUME).withMountPath(STATE_DIR).endVolumeMount();
        if (settings.nativeSidecars()) {
            builder.withRestartPolicy("Always");
        }
        return builder.build();
    }

    static List<Volume> volumes() {
        Volume token = new VolumeBuilder().withName(TOKEN_VOLUME)
                .withNewProjected()
                    .addNewSource().withNewServiceAccountToken()
                        .withAudience(TOKEN_AUDIENCE).withExpirationSeconds(TOKEN_EXPIRATION_SECONDS).withPath("token")
                    .endServiceAccountToken().endSource()
                .endProjected()
                .build();
        Volume state = new VolumeBuilder().withName(STATE_VOLUME)
                .withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity(STATE_SIZE_LIMIT)).endEmptyDir()
                .build();
        return List.of(token, state);
    }

    private static List<EnvVar> env(Pod pod, InjectionSettings settings, String spendKey) {
        List<EnvVar> env = new ArrayList<>();
        env.add(EnvVars.fieldRef("POD_NAME", "metadata.name"));
        env.add(EnvVars.fieldRef("POD_NAMESPACE", "metadata.namespace"));
        env.add(EnvVars.value("TOLLGATE_WORKLOAD", WorkloadName.of(pod)));
        env.add(EnvVars.value("TOLLGATE_POD_LABELS", labelsJson(pod.getMetadata().getLabels())));
        env.add(EnvVars.value(ControlSettings.URL_ENV, settings.controlUrl()));
        env.add(EnvVars.value(ControlSettings.CA_ENV, settings.controlCaPem()));
        env.add(EnvVars.value(ControlSettings.TOKEN_FILE_ENV, TOKEN_FILE));
        env.add(EnvVars.value(ControlSettings.STATE_DIR_ENV, STATE_DIR));
        if (spendKey != null) {
            env.add(EnvVars.value("TOLLGATE_DEFAULT_SPEND_KEY", spendKey));
        }
        // Sorted: the same settings always yield the same env (and the same pod hash).
        new TreeMap<>(settings.telemetryEnv()).forEach((name, value) -> env.add(EnvVars.value(name, value)));
        return env;
    }

    /** Sorted, so the same pod template always yields the same env (and the same pod hash). */
    private static String labelsJson(Map<String, String> labels) {
        try {
            return JSON.writeValueAsString(labels == null ? Map.of() : new TreeMap<>(labels));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static ResourceRequirements resources(InjectionSettings settings) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        putIfSet(requests, "cpu", settings.cpuRequest());
        putIfSet(requests, "memory", settings.memoryRequest());
        putIfSet(limits, "cpu", settings.cpuLimit());
        putIfSet(limits, "memory", settings.memoryLimit());
        ResourceRequirements resources = new ResourceRequirements();
        resources.setRequests(requests);
        resources.setLimits(limits);
        return resources;
    }

    private static void putIfSet(Map<String, Quantity> map, String name, String quantity) {
        if (quantity != null && !quantity.isBlank()) {
            map.put(name, new Quantity(quantity));
        }
    }

    private static Probe probe(String path, int port, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString(port)).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

}
