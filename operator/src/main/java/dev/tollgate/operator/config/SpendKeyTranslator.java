package dev.tollgate.operator.config;

import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeySpec;
import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.Enforcement;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.metering.Money;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** SpendKey + its token Secret → the sidecar's {@link SpendKeyConfig}, holding only the token's hash. */
final class SpendKeyTranslator {
    private SpendKeyTranslator() {
    }

    static SpendKeyConfig translate(SpendKey key, SecretIndex secrets) throws Rejected {
        SpendKeySpec spec = key.getSpec();
        if (spec == null) {
            throw new Rejected("Invalid", "spec is required");
        }
        String token = secrets.value(ObjectNames.namespace(key), SpendKeyTokens.secretName(key.getMetadata().getName()),
                SpendKeyTokens.SECRET_KEY);
        try {
            SpendKeyConfig config = new SpendKeyConfig(ObjectNames.id(key), SpendKeyRegistry.sha256Hex(token), spec.models(),
                    spec.budget() == null ? null : usd(spec.budget().limit()),
                    spec.budget() == null ? null : period(spec.budget().period()),
                    spec.rateLimit() == null ? null : spec.rateLimit().requestsPerMinute(),
                    spec.rateLimit() == null ? null : spec.rateLimit().tokensPerMinute(),
                    expiresAt(spec.expiresAt()),
                    spec.suspended(),
                    enforcement(spec.enforcement()));
            // The sidecar's own validator, on this key alone, so one bad key spoils nothing else.
            new GatewayConfig(null, null, null, null, List.of(config)).validate();
            return config;
        } catch (ConfigException e) {
            throw new Rejected("Invalid", e.getMessage().replaceFirst("^spendKeys\\[0]\\.", "spec."));
        }
    }

    private static long usd(String limit) {
        if (limit == null) {
            throw new ConfigException("spec.budget.limit: required");
        }
        try {
            return Money.parseUsd(limit);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("spec.budget.limit: " + e.getMessage());
        }
    }

    private static BudgetPeriod period(String period) {
        try {
            return period == null ? null : BudgetPeriod.of(period);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("spec.budget.period: '" + period + "' is not daily, weekly, monthly or total");
        }
    }

    private static Enforcement enforcement(String enforcement) {
        try {
            return enforcement == null ? null : Enforcement.of(enforcement);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("spec.enforcement: '" + enforcement + "' is not strict or lenient");
        }
    }

    private static Instant expiresAt(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConfigException("spec.expiresAt: '" + text + "' is not an RFC 3339 time like 2026-12-31T00:00:00Z");
        }
    }
}
