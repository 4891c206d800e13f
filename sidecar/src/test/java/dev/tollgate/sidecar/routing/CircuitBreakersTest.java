package dev.tollgate.sidecar.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {
    private static final CircuitBreakerConfig CONFIG = new CircuitBreakerConfig(2, 60_000);

    @Test
    void clientChosenModelNamesCannotGrowTheBreakersWithoutBoundAndOpenCircuitsAreKept() {
        CircuitBreakers breakers = new CircuitBreakers();
        breakers.get("ns/p", "broken").onFailure(CONFIG, 0);
        breakers.get("ns/p", "broken").onFailure(CONFIG, 0);

        for (int i = 0; i < 10_000; i++) {
            breakers.get("ns/p", "gpt-4o-" + i + "x".repeat(1_024)).onSuccess();
            assertThat(breakers.size()).isLessThanOrEqualTo(CircuitBreakers.PRUNE_ABOVE + 1);
        }

        assertThat(breakers.get("ns/p", "broken").isOpen(1_000)).isTrue();
    }
}
