package dev.tollgate.operator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.api.SpendKey;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.prometheus.client.CollectorRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpendKeyGaugesTest {
    private static SpendKey key(String name, String spent) {
        return Serialization.unmarshal("""
                apiVersion: tollgate.dev/v1alpha1
                kind: SpendKey
                metadata: {name: %s, namespace: team-a}
                spec: {budget: {limit: "10.00", period: monthly}}
                status: {spent: "%s", reserved: "0.50", remaining: "7.50"}
                """.formatted(name, spent), SpendKey.class);
    }

    private static Double value(CollectorRegistry registry, String metric, String key) {
        return registry.getSampleValue(metric, new String[] {"namespace", "spend_key"}, new String[] {"team-a", key});
    }

    @Test
    void eachKeysFiguresAsItsStatusSaysThemAndAHandEditedValueCostsOnlyItsOwnSeries() {
        CollectorRegistry registry = new CollectorRegistry();
        SpendKeyGauges.register(() -> List.of(key("bot", "2.50"), key("edited", "two dollars")), registry);

        assertThat(value(registry, "tollgate_spendkey_spent_usd", "bot")).isEqualTo(2.5);
        assertThat(value(registry, "tollgate_spendkey_limit_usd", "bot")).isEqualTo(10.0);
        assertThat(value(registry, "tollgate_spendkey_remaining_usd", "bot")).isEqualTo(7.5);
        assertThat(value(registry, "tollgate_spendkey_reserved_usd", "bot")).isEqualTo(0.5);
        assertThat(value(registry, "tollgate_spendkey_spent_usd", "edited")).isNull();
        assertThat(value(registry, "tollgate_spendkey_reserved_usd", "edited")).isEqualTo(0.5);
    }
}
