package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.Condition;
import dev.tollgate.operator.api.LabelSelector;
import dev.tollgate.operator.api.ProviderRef;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.ProviderSecretSpec;
import dev.tollgate.operator.api.SecretKeyRef;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class AIRouteReconcilerTest extends WithRunningOperator {
    private static final String TEAM = "team-a";
    private static final String PLATFORM = "ai-platform";

    @Test
    void acceptedAndResolvedWithAReadyProviderOfItsNamespace() {
        cluster.create(cluster.secret(TEAM, "openai-credentials", Map.of("api-key", "sk-team")));
        cluster.create(Cluster.provider(TEAM, "openai", Cluster.openai("openai-credentials")));
        cluster.create(Cluster.route(TEAM, "chat", List.of("chat", "gpt-4o*"), new ProviderRef("openai", null)));

        assertThat(awaitCondition("chat", "Accepted", "True", "Accepted").message())
                .isEqualTo("every model is served by this route");
        awaitCondition("chat", "ResolvedRefs", "True", "ResolvedRefs");
        assertThat(cluster.get(AIRoute.class, TEAM, "chat").getStatus().observedGeneration()).isEqualTo(1L);
        cluster.awaitEvent(TEAM, "chat", "Normal", "Accepted");
    }

    @Test
    void aMissingProviderIsReportedUntilItIsCreatedAndReady() {
        cluster.create(Cluster.route(TEAM, "chat", List.of("chat"), new ProviderRef("openai", null)));

        Condition refs = awaitCondition("chat", "ResolvedRefs", "False", "RefNotFound");
        assertThat(refs.message()).isEqualTo("backend 0 left out: ProviderSecret team-a/openai not found");
        awaitCondition("chat", "Accepted", "False", "NoUsableBackend");
        cluster.awaitEvent(TEAM, "chat", "Warning", "RefNotFound");

        cluster.create(Cluster.provider(TEAM, "openai", Cluster.openai("openai-credentials")));
        awaitCondition("chat", "ResolvedRefs", "False", "ProviderNotReady");

        // The Secret's arrival reaches the route through its ProviderSecret.
        cluster.create(cluster.secret(TEAM, "openai-credentials", Map.of("api-key", "sk-team")));
        awaitCondition("chat", "ResolvedRefs", "True", "ResolvedRefs");
        awaitCondition("chat", "Accepted", "True", "Accepted");

        client.secrets().inNamespace(TEAM).withName("openai-credentials").delete();
        awaitCondition("chat", "ResolvedRefs", "False", "ProviderNotReady");
    }

    @Test
    void anotherNamespacesProviderOnlyWhereItAllowsThisNamespace() {
        cluster.namespace(TEAM, Map.of());
        cluster.create(cluster.secret(PLATFORM, "openai-credentials", Map.of("api-key", "sk-platform")));
        cluster.create(Cluster.provider(PLATFORM, "openai", Cluster.openai("openai-credentials")));
        cluster.create(Cluster.route(TEAM, "chat", List.of("chat"), new ProviderRef("openai", PLATFORM)));

        Condition refused = awaitCondition("chat", "ResolvedRefs", "False", "RefNotPermitted");
        assertThat(refused.message()).contains("ProviderSecret ai-platform/openai does not allow namespace team-a");

        client.resources(ProviderSecret.class).inNamespace(PLATFORM).withName("openai").edit(p -> {
            p.setSpec(withAccess(p.getSpec(), List.of(TEAM), null));
            return p;
        });
        awaitCondition("chat", "ResolvedRefs", "True", "ResolvedRefs");

        // By namespace labels instead: refused until the namespace carries them.
        client.resources(ProviderSecret.class).inNamespace(PLATFORM).withName("openai").edit(p -> {
            p.setSpec(withAccess(p.getSpec(), null, new LabelSelector(Map.of("tollgate.dev/tier", "gold"))));
            return p;
        });
        awaitCondition("chat", "ResolvedRefs", "False", "RefNotPermitted");
        cluster.namespace(TEAM, Map.of("tollgate.dev/tier", "gold"));
        awaitCondition("chat", "ResolvedRefs", "True", "ResolvedRefs");
    }

    @Test
    void theOlderRouteKeepsAContestedModelAndTheOtherIsConflictedUntilItIsFreed() {
        cluster.create(cluster.secret(TEAM, "openai-credentials", Map.of("api-key", "sk-team")));
        cluster.create(Cluster.provider(TEAM, "openai", Cluster.openai("openai-credentials")));
        AIRoute older = cluster.create(Cluster.route(TEAM, "zeta", List.of("chat"), new ProviderRef("openai", null)));
        Condition olderAccepted = awaitCondition("zeta", "Accepted", "True", "Accepted");
        // Creation times have whole seconds: the newer route must be a second younger. Its name sorts
        // first, so only age can make it lose.
        Instant olderCreated = OffsetDateTime.parse(older.getMetadata().getCreationTimestamp()).toInstant();
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().getEpochSecond() > olderCreated.getEpochSecond());
        cluster.create(Cluster.route(TEAM, "alpha", List.of("chat", "summary"), new ProviderRef("openai", null)));

        Condition conflicted = awaitCondition("alpha", "Accepted", "False", "Conflicted");
        assertThat(conflicted.message()).isEqualTo("model 'chat' is already claimed by the older route team-a/zeta");
        cluster.awaitEvent(TEAM, "alpha", "Warning", "Conflicted");
        assertThat(Conditions.find(cluster.get(AIRoute.class, TEAM, "zeta").getStatus().conditions(), "Accepted").orElseThrow())
                .as("nothing flipped for the older route").isEqualTo(olderAccepted);

        // The older route gives the name up: the other one is re-reconciled and gets it.
        client.resources(AIRoute.class).inNamespace(TEAM).withName("zeta").edit(r -> {
            r.setSpec(Cluster.route(TEAM, "zeta", List.of("translate"), new ProviderRef("openai", null)).getSpec());
            return r;
        });
        awaitCondition("alpha", "Accepted", "True", "Accepted");
    }

    private static ProviderSecretSpec withAccess(ProviderSecretSpec spec, List<String> names, LabelSelector selector) {
        return new ProviderSecretSpec(spec.provider(), spec.baseUrl(), new SecretKeyRef(spec.secretRef().name(), null),
                spec.headers(), spec.azure(), spec.bedrock(), spec.vertex(), names, selector, spec.mock());
    }

    private Condition awaitCondition(String route, String type, String status, String reason) {
        return cluster.awaitCondition(AIRoute.class, TEAM, route, type, status, reason,
                r -> r.getStatus() == null ? null : r.getStatus().conditions());
    }
}
