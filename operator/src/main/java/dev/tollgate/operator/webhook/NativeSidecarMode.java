package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * How the sidecar is injected: {@code auto} asks the API server's version (native sidecars from
 * 1.29); {@code on} and {@code off} decide for clusters whose kubelets lag their control plane,
 * where a node older than 1.29 would never start a pod that has a native sidecar.
 */
public enum NativeSidecarMode {
    AUTO, ON, OFF;

    /** @throws IllegalArgumentException naming the allowed values */
    public static NativeSidecarMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--native-sidecars must be auto, on or off, not '" + value + "'");
        }
    }

    /** Whether the next pod gets a native sidecar. */
    BooleanSupplier decider(KubernetesClient client) {
        return switch (this) {
            case AUTO -> new KubernetesVersion(client)::nativeSidecars;
            case ON -> () -> true;
            case OFF -> () -> false;
        };
    }
}
