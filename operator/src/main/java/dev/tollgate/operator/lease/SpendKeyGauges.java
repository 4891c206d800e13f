package dev.tollgate.operator.lease;

import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.sidecar.metering.Money;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-key gauges read at scrape time from the SpendKeys an informer holds, so every replica serves
 * the same figures without keeping any of its own. Money in USD (doubles for Prometheus only).
 */
public final class SpendKeyGauges extends Collector {
    private static final List<String> LABELS = List.of("namespace", "spend_key");

    private final Supplier<List<SpendKey>> keys;

    private SpendKeyGauges(Supplier<List<SpendKey>> keys) {
        this.keys = keys;
    }

    /** @param keys the SpendKeys as the caller's informer cache holds them now */
    public static void register(Supplier<List<SpendKey>> keys, CollectorRegistry registry) {
        new SpendKeyGauges(keys).register(registry);
    }

    @Override
    public List<MetricFamilySamples> collect() {
        GaugeMetricFamily spent = family("tollgate_spendkey_spent_usd", "Spent in the current period, including unreconciled.");
        GaugeMetricFamily limit = family("tollgate_spendkey_limit_usd", "Budget per period (keys with a budget only).");
        GaugeMetricFamily remaining = family("tollgate_spendkey_remaining_usd", "Limit minus spent (keys with a budget only).");
        GaugeMetricFamily reserved = family("tollgate_spendkey_reserved_usd", "Budget held by open leases.");
        GaugeMetricFamily unreconciled = family("tollgate_spendkey_unreconciled_usd",
                "Spent counted for leases that expired unreported.");
        for (SpendKey key : keys.get()) {
            SpendKeyStatus status = key.getStatus();
            if (status == null || status.spent() == null) {
                continue; // not yet written: nothing to show
            }
            List<String> labels = List.of(key.getMetadata().getNamespace(), key.getMetadata().getName());
            add(spent, labels, status, SpendKeyStatus::spent);
            add(reserved, labels, status, SpendKeyStatus::reserved);
            add(unreconciled, labels, status, SpendKeyStatus::unreconciled);
            add(remaining, labels, status, SpendKeyStatus::remaining);
            KeyTerms terms = KeyTerms.of(key.getSpec());
            if (terms.limitMicros() != null) {
                limit.addMetric(labels, Money.toUsdDouble(terms.limitMicros()));
            }
        }
        return new ArrayList<>(List.of(spent, limit, remaining, reserved, unreconciled));
    }

    private static GaugeMetricFamily family(String name, String help) {
        return new GaugeMetricFamily(name, help, LABELS);
    }

    private static void add(GaugeMetricFamily family, List<String> labels, SpendKeyStatus status, Function<SpendKeyStatus, String> usd) {
        String value = usd.apply(status);
        if (value == null) {
            return;
        }
        try {
            family.addMetric(labels, Money.toUsdDouble(Money.parseUsd(value)));
        } catch (IllegalArgumentException e) {
            // A hand-edited status: this series goes missing, the rest of the scrape stays.
        }
    }
}
