package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.config.UnreadSecretTypes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;

/**
 * The start of every reconciler's Secret event source: all namespaces, without the types the operator
 * never reads ({@link UnreadSecretTypes}).
 */
final class SecretInformers {
    private SecretInformers() {
    }

    static <P extends HasMetadata> InformerEventSourceConfiguration.Builder<Secret> of(Class<P> primary, String name) {
        return InformerEventSourceConfiguration.from(Secret.class, primary)
                .withName(name)
                .withFieldSelector(new FieldSelector(UnreadSecretTypes.TYPES.stream()
                        .map(type -> new FieldSelector.Field(UnreadSecretTypes.FIELD, type, true))
                        .toList()));
    }
}
