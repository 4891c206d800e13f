package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.BedrockSpec;
import dev.tollgate.operator.api.Condition;
import dev.tollgate.operator.api.ProviderRef;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.ProviderSecretSpec;
import dev.tollgate.operator.api.ProviderSecretStatus;
import dev.tollgate.operator.api.SecretKeyRef;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.config.KeyFingerprint;
import dev.tollgate.operator.config.SnapshotBuilder;
import dev.tollgate.operator.config.SnapshotInputs;
import dev.tollgate.sidecar.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderSecretReconcilerTest extends WithRunningOperator {
    private static final String NS = "ai-platform";

    @Test
    void readyWithTheKeysFingerprintAndARotatedKeyReachesTheSnapshot() {
        cluster.create(cluster.secret(NS, "openai-credentials", Map.of("api-key", "sk-first-key")));
        cluster.create(Cluster.provider(NS, "openai", Cluster.openai("openai-credentials")));

        Condition ready = awaitReady("True", "SecretFound");
        assertThat(ready.message()).isEqualTo("key 'api-key' found in Secret openai-credentials");
        assertThat(status().keyFingerprint()).isEqualTo(KeyFingerprint.of("sk-first-key"));
        assertThat(status().observedGeneration()).isEqualTo(1L);

        client.secrets().inNamespace(NS).withName("openai-credentials").edit(s -> {
            s.getData().put("api-key", Base64.getEncoder().encodeToString("sk-second-key".getBytes(StandardCharsets.UTF_8)));
            return s;
        });

        cluster.await(ProviderSecret.class, NS, "openai", p -> Optional.ofNullable(p.getStatus())
                .filter(s -> KeyFingerprint.of("sk-second-key").equals(s.keyFingerprint())));
        Condition stillReady = Conditions.find(status().conditions(), "Ready").orElseThrow();
        assertThat(stillReady.lastTransitionTime()).as("Ready did not flip").isEqualTo(ready.lastTransitionTime());
        cluster.awaitEvent(NS, "openai", "Normal", "KeyRotated");
        assertThat(cluster.events(NS, "openai")).extracting(e -> e.getNote())
                .noneMatch(note -> note.contains("sk-first-key") || note.contains("sk-second-key"));

        // What a sidecar of the namespace gets now: built from the cluster's objects, it carries the new key.
        cluster.create(Cluster.route(NS, "chat", List.of("chat"), new ProviderRef("openai", null)));
        GatewayConfig config = SnapshotBuilder.build(new SnapshotInputs(NS, Map.of(),
                client.resources(ProviderSecret.class).inAnyNamespace().list().getItems(),
                client.resources(AIRoute.class).inAnyNamespace().list().getItems(),
                client.resources(SpendKey.class).inAnyNamespace().list().getItems(),
                client.secrets().inAnyNamespace().list().getItems(), List.of(), "1")).config();
        assertThat(config.providers()).singleElement().satisfies(p -> assertThat(p.apiKey()).isEqualTo("sk-second-key"));
    }

    @Test
    void missingSecretThenMissingKeyThenReady() {
        cluster.create(Cluster.provider(NS, "openai", new ProviderSecretSpec("openai", null,
                new SecretKeyRef("openai-credentials", "token"), null, null, null, null, null, null, null)));

        Condition missing = awaitReady("False", "SecretMissing");
        assertThat(missing.message()).isEqualTo("Secret ai-platform/openai-credentials not found");
        assertThat(status().keyFingerprint()).isNull();
        cluster.awaitEvent(NS, "openai", "Warning", "SecretMissing");

        cluster.create(cluster.secret(NS, "openai-credentials", Map.of("api-key", "sk-wrong-place")));
        Condition keyMissing = awaitReady("False", "KeyMissing");
        assertThat(keyMissing.message()).isEqualTo("Secret ai-platform/openai-credentials has no key 'token'");
        assertThat(keyMissing.lastTransitionTime()).as("still False").isEqualTo(missing.lastTransitionTime());

        client.secrets().inNamespace(NS).withName("openai-credentials").edit(s -> {
            s.getData().put("token", Base64.getEncoder().encodeToString("sk-right".getBytes(StandardCharsets.UTF_8)));
            return s;
        });
        awaitReady("True", "SecretFound");
        assertThat(status().keyFingerprint()).isEqualTo(KeyFingerprint.of("sk-right"));
        cluster.awaitEvent(NS, "openai", "Normal", "SecretFound");
    }

    @Test
    void whatTheSchemaWouldLetThroughButIsWrongShowsInReadyAndTheOperatorCarriesOn() {
        // An API server without the CRD's rules (or an old CRD) lets this through; the operator must not stumble.
        cluster.create(Cluster.provider(NS, "broken", new ProviderSecretSpec("openai-compatible", null,
                new SecretKeyRef("creds", null), null, null, null, null, null, null, null)));
        cluster.create(cluster.secret(NS, "creds", Map.of("api-key", "sk-x")));

        Condition invalid = cluster.awaitCondition(ProviderSecret.class, NS, "broken", "Ready", "False", "Invalid",
                p -> p.getStatus() == null ? null : p.getStatus().conditions());
        assertThat(invalid.message()).contains("baseUrl");

        cluster.create(Cluster.provider(NS, "mock", new ProviderSecretSpec("mock", null, null, null, null, null, null, null,
                null, null)));
        cluster.awaitCondition(ProviderSecret.class, NS, "mock", "Ready", "True", "NoSecretNeeded",
                p -> p.getStatus() == null ? null : p.getStatus().conditions());
    }

    @Test
    void anAwsAccessKeyPairIsFingerprintedAndItsRotationShows() {
        cluster.create(cluster.secret(NS, "aws", Map.of("accessKeyId", "AKIAEXAMPLE", "secretAccessKey", "first-secret")));
        cluster.create(Cluster.provider(NS, "bedrock", new ProviderSecretSpec("bedrock", null, new SecretKeyRef("aws", null),
                null, null, new BedrockSpec("us-east-1"), null, null, null, null)));

        String first = cluster.await(ProviderSecret.class, NS, "bedrock", p -> Optional.ofNullable(p.getStatus())
                .map(ProviderSecretStatus::keyFingerprint));
        client.secrets().inNamespace(NS).withName("aws").edit(s -> {
            s.getData().put("secretAccessKey", Base64.getEncoder().encodeToString("second-secret".getBytes(StandardCharsets.UTF_8)));
            return s;
        });

        String second = cluster.await(ProviderSecret.class, NS, "bedrock", p -> Optional.ofNullable(p.getStatus())
                .map(ProviderSecretStatus::keyFingerprint).filter(f -> !f.equals(first)));
        assertThat(second).startsWith("sha256:");
        cluster.awaitEvent(NS, "bedrock", "Normal", "KeyRotated");
    }

    private Condition awaitReady(String status, String reason) {
        return cluster.awaitCondition(ProviderSecret.class, NS, "openai", "Ready", status, reason,
                p -> p.getStatus() == null ? null : p.getStatus().conditions());
    }

    private ProviderSecretStatus status() {
        return cluster.get(ProviderSecret.class, NS, "openai").getStatus();
    }
}
