package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.operator.config.Problem;
import dev.tollgate.operator.config.SecretValues;
import dev.tollgate.operator.config.SnapshotBuilder;
import dev.tollgate.operator.config.SnapshotInputs;
import dev.tollgate.operator.config.SpendKeyTokens;
import dev.tollgate.operator.lease.KeyTerms;
import dev.tollgate.operator.lease.LeaseBook;
import dev.tollgate.operator.lease.LeaseWriter;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * SpendKey: makes its token once into Secret {@code <name>-spendkey} (owned by the SpendKey, so
 * deleting the key deletes the token; never regenerated while the Secret exists), shows the
 * state and the token's first characters, starts a new budget period on time, settles expired
 * leases, and looks again when the key expires, a period ends or a lease expires. The sidecars get only the token's hash, through the snapshot.
 */
public final class SpendKeyReconciler implements Reconciler<SpendKey> {
    public static final String NAME = "SpendKey";
    static final int PREFIX_LENGTH = 8;

    private final EventRecorder events;
    private final LeaseWriter writer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private InformerEventSource<Secret, SpendKey> secrets;

    /** @param writer writes the status; its clock is the one that counts for periods and leases */
    public SpendKeyReconciler(EventRecorder events, LeaseWriter writer, Clock clock) {
        this.events = events;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, SpendKey>> prepareEventSources(EventSourceContext<SpendKey> context) {
        // By name rather than owner: a token Secret the user made for a key counts as its token too.
        secrets = new InformerEventSource<>(SecretInformers.of(SpendKey.class, "token-secrets")
                .withSecondaryToPrimaryMapper(secret -> {
                    String name = secret.getMetadata().getName();
                    return name.endsWith(SpendKeyTokens.SECRET_SUFFIX) && name.length() > SpendKeyTokens.SECRET_SUFFIX.length()
                            ? Set.of(new ResourceID(name.substring(0, name.length() - SpendKeyTokens.SECRET_SUFFIX.length()),
                                    secret.getMetadata().getNamespace()))
                            : Set.of();
                })
                .build(), context);
        return List.of(secrets);
    }

    @Override
    public UpdateControl<SpendKey> reconcile(SpendKey key, Context<SpendKey> context) {
        String namespace = key.getMetadata().getNamespace();
        String secretName = SpendKeyTokens.secretName(key.getMetadata().getName());
        Secret token = tokenSecret(key).orElseGet(() -> createTokenSecret(key, context.getClient()));

        // Every key of the namespace, so a token shared by two keys is caught as the snapshot catches it.
        List<SpendKey> keys = Stream.concat(Stream.of(key), context.getPrimaryCache().list(namespace)
                .filter(k -> !k.getMetadata().getName().equals(key.getMetadata().getName()))).toList();
        List<Secret> tokens = Stream.concat(Stream.of(token),
                keys.stream().skip(1).flatMap(k -> tokenSecret(k).stream())).toList();
        Problem problem = SnapshotBuilder.build(new SnapshotInputs(namespace, Map.of(), List.of(), List.of(), keys, tokens,
                        List.of(), "status"))
                .problemsOf("SpendKey", References.key(key)).stream().findFirst().orElse(null);
        String prefix = SecretValues.read(token, SpendKeyTokens.SECRET_KEY)
                .map(t -> t.substring(0, Math.min(PREFIX_LENGTH, t.length())))
                .orElse(null);

        // Through the ledger's compare-and-swap writer, like every lease: a status write from here
        // can never lose spend a sidecar reported meanwhile.
        AtomicReference<SpendKeyStates.Evaluation> evaluated = new AtomicReference<>();
        AtomicReference<String> stateBefore = new AtomicReference<>();
        SpendKey written = writer.update(namespace, key.getMetadata().getName(), (fresh, now) -> {
            stateBefore.set(fresh.getStatus() == null ? null : fresh.getStatus().state());
            SpendKeyStatus settled = LeaseBook.apply(fresh.getStatus(), fresh.getSpec(), problem != null, now, List.of()).status();
            evaluated.set(SpendKeyStates.evaluate(fresh, settled, problem, secretName, prefix, now));
            return evaluated.get().status();
        }).join();
        UpdateControl<SpendKey> control = UpdateControl.noUpdate();
        if (written == null) {
            return control; // deleted meanwhile
        }
        recordStateChange(written, stateBefore.get());
        Instant now = clock.instant();
        evaluated.get().nextCheck().ifPresent(at -> control.rescheduleAfter(Duration.between(now, at).isNegative()
                ? Duration.ZERO : Duration.between(now, at)));
        return control;
    }

    private Optional<Secret> tokenSecret(SpendKey key) {
        return secrets.get(new ResourceID(SpendKeyTokens.secretName(key.getMetadata().getName()),
                key.getMetadata().getNamespace()));
    }

    private Secret createTokenSecret(SpendKey key, KubernetesClient client) {
        String namespace = key.getMetadata().getNamespace();
        String name = SpendKeyTokens.secretName(key.getMetadata().getName());
        String token = SpendKeyTokens.generate(random);
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "tollgate")
                .addToLabels("tollgate.dev/spend-key", key.getMetadata().getName())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(key.getApiVersion())
                        .withKind(key.getKind())
                        .withName(key.getMetadata().getName())
                        .withUid(key.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .endMetadata()
                .withType("Opaque")
                .addToData(SpendKeyTokens.SECRET_KEY, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
                .build();
        try {
            Secret created = client.resource(secret).create();
            events.normal(key, "TokenGenerated", "generated the token into Secret " + name + " (key "
                    + SpendKeyTokens.SECRET_KEY + "), starting " + token.substring(0, PREFIX_LENGTH));
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Made since the cache was filled (by us before a restart, or by the user): keep it.
            return Objects.requireNonNull(client.secrets().inNamespace(namespace).withName(name).get(),
                    "Secret " + name + " exists but cannot be read");
        }
    }

    private void recordStateChange(SpendKey key, String before) {
        SpendKeyStatus status = key.getStatus();
        if (Objects.equals(before, status.state())) {
            return;
        }
        // The condition named like the state says why (Expired: "expired at ..."); Invalid and Active explain in Active.
        String message = Conditions.find(status.conditions(), status.state())
                .or(() -> Conditions.find(status.conditions(), KeyTerms.ACTIVE))
                .orElseThrow().message();
        if (KeyTerms.ACTIVE.equals(status.state())) {
            events.normal(key, KeyTerms.ACTIVE, message);
        } else {
            events.warning(key, status.state(), message);
        }
    }
}
