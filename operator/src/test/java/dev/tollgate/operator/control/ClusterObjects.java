package dev.tollgate.operator.control;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.SpendKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Creates or replaces objects written as YAML (several separated by ---), as kubectl apply would. */
public final class ClusterObjects {
    private ClusterObjects() {
    }

    public static void apply(KubernetesClient client, String yaml) {
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.isBlank()) {
                continue;
            }
            Class<? extends HasMetadata> type = switch (Serialization.unmarshal(document, GenericKubernetesResource.class).getKind()) {
                case "Namespace" -> Namespace.class;
                case "Secret" -> Secret.class;
                case "ProviderSecret" -> ProviderSecret.class;
                case "AIRoute" -> AIRoute.class;
                case "SpendKey" -> SpendKey.class;
                default -> throw new IllegalArgumentException("unexpected kind in " + document);
            };
            client.resource(Serialization.unmarshal(document, type)).createOr(NonDeletingOperation::update);
        }
    }
}
