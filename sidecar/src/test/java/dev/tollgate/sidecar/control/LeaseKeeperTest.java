package dev.tollgate.sidecar.control;

import dev.tollgate.sidecar.wire.LeaseAnswer;
import dev.tollgate.sidecar.wire.LeaseCall;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import dev.tollgate.sidecar.spend.OperatorLeases;
import dev.tollgate.sidecar.spend.SpendKey;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import dev.tollgate.sidecar.spend.SpendRejection;
import dev.tollgate.sidecar.spend.TestClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One keeper round at a time, the operator's answers written by hand (the network edge). */
class LeaseKeeperTest {
    private final TestClock clock = new TestClock("2026-05-10T12:00:30Z");
    private final OperatorLeases leases = new OperatorLeases(clock);
    private final SpendKeyRegistry keys = new SpendKeyRegistry(leases);
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final List<LeaseCall> calls = new ArrayList<>();
    private boolean unreachable;
    private long grantedMicros = 1_000;

    private final LeaseTransport transport = call -> {
        calls.add(call);
        if (unreachable) {
            throw new IOException("connection refused");
        }
        return new LeaseAnswer(call.leases().stream().map(r -> new LeaseGrant(r.key(), r.lease(), r.sequence(),
                r.periodStart(), r.key().equals("bot") ? grantedMicros : 0, null, 0, 0, clock.instant().plusSeconds(30),
                "Active", 9_000L, null)).toList());
    };
    private final LeaseKeeper keeper = new LeaseKeeper(transport, leases, metrics, () -> { });

    private static SpendKeyConfig key(String name, Long budget) {
        return new SpendKeyConfig("team-a/" + name, SpendKeyRegistry.sha256Hex("tg_" + name), List.of(), budget,
                BudgetPeriod.MONTHLY, null, null, null, false, null);
    }

    private double calls(String result) {
        Double value = metrics.registry().getSampleValue("tollgate_lease_calls_total", new String[] {"result"}, new String[] {result});
        return value == null ? 0 : value;
    }

    @Test
    void oneCallPerRoundCarriesEveryKeyAndTheAnswerIsWhatTheKeysHold() throws Exception {
        keys.update(List.of(key("bot", 10_000L), key("free", null)));
        assertThat(leases.awaitAsk(0)).as("new keys ask for a round at once").isTrue();

        assertThat(keeper.round(false)).isTrue();

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).leases()).extracting(LeaseReport::key).containsExactly("bot", "free");
        assertThat(keys.byName("team-a/bot").orElseThrow().remainingMicros()).isEqualTo(1_000);
        assertThat(keys.byName("team-a/free").orElseThrow().remainingMicros()).isEqualTo(Long.MAX_VALUE);
        assertThat(calls("ok")).isEqualTo(1.0);
    }

    @Test
    void aFailedCallIsCountedAndTheNextRoundReportsAgainWithTheNextSequence() throws Exception {
        keys.update(List.of(key("bot", 10_000L)));
        unreachable = true;
        assertThat(keeper.round(false)).isFalse();
        unreachable = false;
        assertThat(keeper.round(false)).isTrue();

        assertThat(calls).extracting(c -> c.leases().get(0).sequence()).containsExactly(1L, 2L);
        assertThat(calls("failed")).isEqualTo(1.0);
        assertThat(calls("ok")).isEqualTo(1.0);
    }

    @Test
    void aKeyThatLeftTheConfigurationIsReleasedOnceAndForgotten() throws Exception {
        keys.update(List.of(key("bot", 10_000L), key("old", 10_000L)));
        keeper.round(false);
        keys.update(List.of(key("bot", 10_000L)));

        keeper.round(false);
        keeper.round(false);

        assertThat(calls.get(1).leases()).as("bot has nothing new to say").extracting(LeaseReport::key, LeaseReport::release)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("old", true));
        assertThat(calls).as("old is forgotten once released; a round with nothing to say makes no call").hasSize(2);
    }

    @Test
    void aKeyThatLeftTheConfigurationAdmitsNothingMore() throws Exception {
        keys.update(List.of(key("bot", 10_000L)));
        keeper.round(false);
        SpendKey bot = keys.byName("team-a/bot").orElseThrow(); // found by a request just before the key left
        keys.update(List.of());
        keeper.round(false);
        assertThat(calls.get(1).leases()).extracting(LeaseReport::release).containsExactly(true);

        // Its lease is released and forgotten: spend admitted now would never be reported.
        assertThatThrownBy(() -> bot.admit("gpt-4o", 0, 100)).isInstanceOfSatisfying(SpendRejection.class, rejection -> {
            assertThat(rejection.httpStatus()).isEqualTo(401);
            assertThat(rejection.code()).isEqualTo("invalid_api_key");
        });
    }

    @Test
    void aRefusalNamesWhatTheKeyHasLeftAndWhatThisPodMaySpendWithoutAsking() throws Exception {
        keys.update(List.of(key("bot", 10_000L)));
        keeper.round(false); // the lease holds 1,000; 9,000 more are nobody's

        // The request waits and asks for a round; the call fails, so the request is refused at the end of its wait.
        Thread failingRound = new Thread(() -> {
            try {
                leases.awaitAsk(10_000);
                unreachable = true;
                keeper.round(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        failingRound.start();
        assertThatThrownBy(() -> keys.byName("team-a/bot").orElseThrow().admit("gpt-4o", 10, 1_500))
                .isInstanceOfSatisfying(SpendRejection.class, rejection -> assertThat(rejection.getMessage())
                        .isEqualTo("Spend key 'team-a/bot' has $0.01 left of its monthly budget of $0.01, of which this pod"
                                + " may spend $0.001 without asking the operator; this request may cost up to $0.0015."));
        failingRound.join();
    }

    @Test
    void aLeaseWithARequestStillInFlightAtTheLastCallIsLeftToExpireNotReleased() throws Exception {
        keys.update(List.of(key("bot", 10_000L)));
        keeper.round(false);
        keys.byName("team-a/bot").orElseThrow().admit("gpt-4o", 10, 400); // outlived the drain: settles after the last call

        keeper.close();

        // Released, its unspent part would go back to the key while the request may still spend it; left to
        // expire, the operator counts it as spent.
        LeaseReport last = calls.get(calls.size() - 1).leases().get(0);
        assertThat(last.release()).isFalse();
        assertThat(last.wantMicros()).isZero();
    }

    @Test
    void closingReleasesEveryLease() {
        keys.update(List.of(key("bot", 10_000L), key("free", null)));
        keeper.close();

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).leases()).extracting(LeaseReport::release).containsExactly(true, true);
    }
}
