package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.api.BudgetSpec;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeySpec;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.operator.config.SecretValues;
import dev.tollgate.operator.config.SnapshotBuilder;
import dev.tollgate.operator.config.SnapshotInputs;
import dev.tollgate.operator.lease.LeaseWriter;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpendKeyReconcilerTest extends WithRunningOperator {
    private static final String NS = "team-a";

    @Test
    void theTokenIsGeneratedOnceIntoAnOwnedSecretAndOnlyItsHashReachesTheSnapshot() {
        SpendKey key = cluster.create(Cluster.spendKey(NS, "bot", spec(new BudgetSpec("50.00", "monthly"), false, null)));

        SpendKeyStatus status = awaitState("Active");
        Secret secret = cluster.get(Secret.class, NS, "bot-spendkey");
        String token = SecretValues.read(secret, "token").orElseThrow();
        assertThat(token).matches("tg_[0-9A-Za-z]{43}");
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference owner) -> {
            assertThat(owner.getKind()).isEqualTo("SpendKey");
            assertThat(owner.getName()).isEqualTo("bot");
            assertThat(owner.getUid()).isEqualTo(key.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
        });
        assertThat(status.tokenSecret()).isEqualTo("bot-spendkey");
        assertThat(status.keyPrefix()).isEqualTo(token.substring(0, 8));
        assertThat(status.spent()).isEqualTo("0.00");
        assertThat(status.remaining()).isEqualTo("50.00");
        cluster.awaitEvent(NS, "bot", "Normal", "TokenGenerated");
        assertThat(cluster.events(NS, "bot")).extracting(e -> e.getNote()).noneMatch(note -> note.contains(token));

        // A spec change reconciles again; the token and its hash stay.
        client.resources(SpendKey.class).inNamespace(NS).withName("bot").edit(k -> {
            k.setSpec(spec(new BudgetSpec("80.00", "monthly"), false, null));
            return k;
        });
        cluster.await(SpendKey.class, NS, "bot", k -> Optional.ofNullable(k.getStatus())
                .filter(s -> "80.00".equals(s.remaining())));
        Secret after = cluster.get(Secret.class, NS, "bot-spendkey");
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(secret.getMetadata().getResourceVersion());
        assertThat(snapshotKeys()).singleElement().satisfies((SpendKeyConfig config) ->
                assertThat(config.tokenSha256()).isEqualTo(SpendKeyRegistry.sha256Hex(token)));
    }

    @Test
    void aTokenSecretThatExistsIsKept() {
        cluster.create(cluster.secret(NS, "ci-spendkey", Map.of("token", "tg_madeByTheUserForThisKey0000000000000000000")));
        cluster.create(Cluster.spendKey(NS, "ci", spec(null, false, null)));

        SpendKeyStatus status = cluster.await(SpendKey.class, NS, "ci", k -> Optional.ofNullable(k.getStatus())
                .filter(s -> "Active".equals(s.state())));
        assertThat(status.keyPrefix()).isEqualTo("tg_madeB");
        assertThat(status.remaining()).as("no budget").isNull();
        assertThat(SecretValues.read(cluster.get(Secret.class, NS, "ci-spendkey"), "token"))
                .contains("tg_madeByTheUserForThisKey0000000000000000000");
        assertThat(cluster.events(NS, "ci")).noneMatch(e -> e.getReason().equals("TokenGenerated"));
    }

    @Test
    void suspendedBeatsExpiredAndAKeyExpiresOnTime() {
        String past = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        cluster.create(Cluster.spendKey(NS, "bot", spec(null, true, past)));
        SpendKeyStatus suspended = awaitState("Suspended");
        assertThat(Conditions.find(suspended.conditions(), "Expired").orElseThrow().status()).isEqualTo("True");
        cluster.awaitEvent(NS, "bot", "Warning", "Suspended");

        client.resources(SpendKey.class).inNamespace(NS).withName("bot").edit(k -> {
            k.setSpec(spec(null, false, past));
            return k;
        });
        assertThat(Conditions.find(awaitState("Expired").conditions(), "Active").orElseThrow().reason()).isEqualTo("Expired");

        // Expiring two seconds from now: Active first, then Expired without any change to the object.
        String soon = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString();
        client.resources(SpendKey.class).inNamespace(NS).withName("bot").edit(k -> {
            k.setSpec(spec(null, false, soon));
            return k;
        });
        awaitState("Active");
        SpendKeyStatus expired = awaitState("Expired");
        assertThat(Conditions.find(expired.conditions(), "Expired").orElseThrow().message()).isEqualTo("expired at " + soon);
    }

    @Test
    void spendReportedOnALeaseExhaustsTheBudget() {
        cluster.create(Cluster.spendKey(NS, "bot", spec(new BudgetSpec("5.00", "daily"), false, null)));
        awaitState("Active");

        try (LeaseWriter sidecars = new LeaseWriter(client, Clock.systemUTC())) {
            LeaseGrant grant = sidecars.lease(NS, "bot-7f9c-1", List.of(new LeaseReport("bot", "lease-1", null, 1, 5_000_001, 12,
                    3000, 900, Instant.now(), 1_000_000, 0, 0, false))).join().grants().get(0);
            assertThat(grant.error()).isNull();
        }

        SpendKeyStatus exhausted = awaitState("BudgetExhausted");
        assertThat(exhausted.remaining()).isEqualTo("0.00");
        assertThat(exhausted.spent()).isEqualTo("5.000001");
        assertThat(exhausted.requests()).isEqualTo(12L);
        assertThat(exhausted.leases()).singleElement().satisfies(l -> assertThat(l.holder()).isEqualTo("bot-7f9c-1"));
        assertThat(Conditions.find(exhausted.conditions(), "BudgetExhausted").orElseThrow().message())
                .isEqualTo("spent 5.000001 of 5.00 this daily period");
        cluster.awaitEvent(NS, "bot", "Warning", "BudgetExhausted");
    }

    @Test
    void aLeaseThatExpiresUnreportedIsSettledWithoutAnyOtherChange() {
        cluster.create(Cluster.spendKey(NS, "bot", spec(new BudgetSpec("5.00", "daily"), false, null)));
        awaitState("Active");
        // A lease written 29 s ago by a sidecar that then died: 0.25 spent, 2.00 more held; it expires in about a second.
        Instant reported = Instant.now().minusSeconds(29);
        try (LeaseWriter past = new LeaseWriter(client, Clock.fixed(reported, ZoneOffset.UTC))) {
            past.lease(NS, "bot-dead", List.of(new LeaseReport("bot", "lease-1", null, 1, 250_000, 1, 10, 10, reported,
                    2_000_000, 0, 0, false))).join();
        }

        SpendKeyStatus settled = cluster.await(SpendKey.class, NS, "bot", k -> Optional.ofNullable(k.getStatus())
                .filter(s -> "2.25".equals(s.spent())));
        assertThat(settled.unreconciled()).isEqualTo("2.00");
        assertThat(settled.reserved()).isEqualTo("0.00");
        assertThat(settled.leases()).singleElement().satisfies(l -> assertThat(l.expired()).isTrue());
    }

    private List<SpendKeyConfig> snapshotKeys() {
        return SnapshotBuilder.build(new SnapshotInputs(NS, Map.of(), List.of(), List.of(),
                client.resources(SpendKey.class).inNamespace(NS).list().getItems(),
                client.secrets().inNamespace(NS).list().getItems(), List.of(), "1")).config().spendKeys();
    }

    private SpendKeyStatus awaitState(String state) {
        return cluster.await(SpendKey.class, NS, "bot", k -> Optional.ofNullable(k.getStatus())
                .filter(s -> state.equals(s.state())));
    }

    private static SpendKeySpec spec(BudgetSpec budget, boolean suspended, String expiresAt) {
        return new SpendKeySpec("support bot", budget, List.of(), null, expiresAt, suspended, null);
    }
}
