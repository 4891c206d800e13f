package dev.tollgate.sidecar.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.CircuitBreakerConfig;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class AttemptPlanTest {
    private static final BackendConfig A = new BackendConfig("ns/a", "m-a", 90, 0);
    private static final BackendConfig B = new BackendConfig("ns/b", "m-b", 10, 0);
    private static final BackendConfig C = new BackendConfig("ns/c", "m-c", 1, 1);
    private static final RouteConfig ROUTE = new RouteConfig("ns/r", List.of("chat"), null, List.of(A, B, C),
            null, null, new CircuitBreakerConfig(2, 1_000), false, null);

    @Test
    void firstChoiceFollowsTheWeightsWithinTheLowestTier() {
        CircuitBreakers breakers = new CircuitBreakers();
        RandomGenerator random = new SplittableRandom(7);
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            AttemptPlan plan = new AttemptPlan(ROUTE, "chat", breakers, random);
            counts.merge(plan.next(0).backend().provider(), 1, Integer::sum);
        }
        assertThat(counts).doesNotContainKey("ns/c");
        assertThat(counts.get("ns/a")).isBetween(8_800, 9_200);
        assertThat(counts.get("ns/b")).isBetween(800, 1_200);
    }

    @Test
    void failoverGoesThroughTheTierThenTheNextTierThenRetriesTheLast() {
        AttemptPlan plan = new AttemptPlan(ROUTE, "chat", new CircuitBreakers(), new SplittableRandom(1));
        BackendConfig first = plan.next(0).backend();
        BackendConfig second = plan.next(0).backend();
        AttemptPlan.Choice third = plan.next(0);
        AttemptPlan.Choice fourth = plan.next(0);

        assertThat(List.of(first, second)).containsExactlyInAnyOrder(A, B);
        assertThat(third.backend()).isEqualTo(C);
        assertThat(third.retrySame()).isFalse();
        assertThat(fourth.backend()).isEqualTo(C);
        assertThat(fourth.retrySame()).isTrue();
    }

    @Test
    void attemptsCountTheTriesOfOneBackendSoEveryTierIsTriedEvenWithOne() {
        for (int attempts = 1; attempts <= 3; attempts++) {
            RouteConfig route = new RouteConfig("ns/r", List.of("chat"), null, List.of(A, C),
                    new RetryConfig(attempts, RetryConfig.ALL_CLASSES, 10), null, new CircuitBreakerConfig(10, 1_000), false, null);
            AttemptPlan plan = new AttemptPlan(route, "chat", new CircuitBreakers(), new SplittableRandom(1));
            List<AttemptPlan.Choice> choices = new ArrayList<>();
            for (AttemptPlan.Choice choice = plan.next(0); choice != null; choice = plan.next(0)) {
                choices.add(choice);
            }

            List<AttemptPlan.Choice> expected = new ArrayList<>(List.of(new AttemptPlan.Choice(A, 1)));
            for (int tryOfC = 1; tryOfC <= attempts; tryOfC++) {
                expected.add(new AttemptPlan.Choice(C, tryOfC));
            }
            assertThat(choices).as("attempts: %d", attempts).isEqualTo(expected);
        }
    }

    @Test
    void openCircuitsAreSkippedUntilTheirCooldownEndsThenOneProbeGoesThrough() {
        CircuitBreakers breakers = new CircuitBreakers();
        CircuitBreaker a = breakers.get("ns/a", "m-a");
        CircuitBreaker b = breakers.get("ns/b", "m-b");
        for (int i = 0; i < 2; i++) {
            a.onFailure(ROUTE.circuitBreaker(), 0);
            b.onFailure(ROUTE.circuitBreaker(), 0);
        }
        assertThat(new AttemptPlan(ROUTE, "chat", breakers, new SplittableRandom(1)).next(500).backend()).isEqualTo(C);

        BackendConfig probe = new AttemptPlan(ROUTE, "chat", breakers, new SplittableRandom(1)).next(1_000).backend();
        assertThat(probe).isIn(A, B);
        // The other half-open backend still has its probe; the prober's own circuit stays closed to others.
        BackendConfig next = new AttemptPlan(ROUTE, "chat", breakers, new SplittableRandom(1)).next(1_000).backend();
        assertThat(next).isIn(A, B).isNotEqualTo(probe);
        assertThat(new AttemptPlan(ROUTE, "chat", breakers, new SplittableRandom(1)).next(1_000).backend()).isEqualTo(C);
    }

    @Test
    void zeroWeightBackendsOnlyTakeTrafficWhenNothingElseIsLeft() {
        BackendConfig zero = new BackendConfig("ns/z", null, 0, 0);
        BackendConfig one = new BackendConfig("ns/o", null, 1, 0);
        RouteConfig route = new RouteConfig("ns/r", List.of("chat"), null, List.of(zero, one), null, null, null, false, null);
        for (int i = 0; i < 100; i++) {
            AttemptPlan plan = new AttemptPlan(route, "chat", new CircuitBreakers(), new SplittableRandom(i));
            assertThat(plan.next(0).backend()).isEqualTo(one);
            assertThat(plan.next(0).backend()).isEqualTo(zero);
        }
    }
}
