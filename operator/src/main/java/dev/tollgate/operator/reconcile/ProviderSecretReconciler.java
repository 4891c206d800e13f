package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import dev.tollgate.operator.api.Condition;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.ProviderSecretStatus;
import dev.tollgate.operator.config.ProviderCheck;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * ProviderSecret: finds the referenced Secret and key, shows {@code Ready} and the key's
 * fingerprint. A change to the Secret (rotation, deletion) re-reconciles every ProviderSecret
 * that uses it, found through an index on the primary cache.
 */
public final class ProviderSecretReconciler implements Reconciler<ProviderSecret> {
    public static final String NAME = "ProviderSecret";

    private final EventRecorder events;
    private final Clock clock;
    private InformerEventSource<Secret, ProviderSecret> secrets;

    public ProviderSecretReconciler(EventRecorder events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ProviderSecret>> prepareEventSources(EventSourceContext<ProviderSecret> context) {
        var primaries = context.getPrimaryCache();
        primaries.addIndexer(References.PROVIDERS_BY_SECRET, References::secretKeysOf);
        secrets = new InformerEventSource<>(SecretInformers.of(ProviderSecret.class, "secrets")
                .withSecondaryToPrimaryMapper(secret -> References.ids(
                        primaries.byIndex(References.PROVIDERS_BY_SECRET, References.key(secret))))
                .build(), context);
        return List.of(secrets);
    }

    @Override
    public UpdateControl<ProviderSecret> reconcile(ProviderSecret provider, Context<ProviderSecret> context) {
        List<Secret> referenced = References.secretOf(provider).flatMap(secrets::get).stream().toList();
        ProviderCheck check = ProviderCheck.of(provider, referenced);
        Long generation = provider.getMetadata().getGeneration();
        Condition ready = check.usable()
                ? Conditions.of("Ready", true, provider.getSpec().secretRef() == null ? "NoSecretNeeded" : "SecretFound",
                        readyMessage(provider), generation, clock.instant())
                : Conditions.of("Ready", false, check.problem().reason(), check.problem().message(), generation, clock.instant());

        ProviderSecretStatus old = provider.getStatus();
        List<Condition> previous = old == null ? List.of() : old.conditions();
        List<Condition> conditions = Conditions.carryOver(previous, List.of(ready));
        events.conditionChanges(provider, previous, conditions);
        if (old != null && old.keyFingerprint() != null && check.keyFingerprint() != null
                && !Objects.equals(old.keyFingerprint(), check.keyFingerprint())) {
            events.normal(provider, "KeyRotated", "the key changed (" + old.keyFingerprint() + " -> "
                    + check.keyFingerprint() + "); running sidecars get the new one");
        }
        return StatusPatches.patchIfChanged(provider,
                new ProviderSecretStatus(generation, conditions, check.keyFingerprint()), ProviderSecret::new);
    }

    private static String readyMessage(ProviderSecret provider) {
        var ref = provider.getSpec().secretRef();
        return ref == null ? "the mock provider needs no key"
                : "key '" + ref.keyOrDefault() + "' found in Secret " + ref.name();
    }
}
