package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.config.Enforcement;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.metering.Money;
import java.time.Instant;
import java.util.List;

/** Builds spend-key policies for tests; the token is "tg_" + the key's name unless set. */
final class TestKey {
    private final String name;
    private String token;
    private List<String> models = List.of();
    private Long budgetMicros;
    private BudgetPeriod period = BudgetPeriod.MONTHLY;
    private Integer requestsPerMinute;
    private Integer tokensPerMinute;
    private Instant expiresAt;
    private boolean suspended;

    private TestKey(String name) {
        this.name = name;
        this.token = "tg_" + name.replace('/', '_');
    }

    static TestKey named(String name) {
        return new TestKey(name);
    }

    TestKey token(String value) {
        token = value;
        return this;
    }

    TestKey models(String... patterns) {
        models = List.of(patterns);
        return this;
    }

    TestKey budget(String usd, BudgetPeriod per) {
        budgetMicros = Money.parseUsd(usd);
        period = per;
        return this;
    }

    TestKey requestsPerMinute(int limit) {
        requestsPerMinute = limit;
        return this;
    }

    TestKey tokensPerMinute(int limit) {
        tokensPerMinute = limit;
        return this;
    }

    TestKey expiresAt(String isoInstant) {
        expiresAt = Instant.parse(isoInstant);
        return this;
    }

    TestKey suspended() {
        suspended = true;
        return this;
    }

    String token() {
        return token;
    }

    SpendKeyConfig config() {
        return new SpendKeyConfig(name, SpendKeyRegistry.sha256Hex(token), models, budgetMicros, period,
                requestsPerMinute, tokensPerMinute, expiresAt, suspended, Enforcement.STRICT);
    }

    /** A registry holding just this key, and the key itself. */
    SpendKey in(SpendKeyRegistry registry) {
        registry.update(List.of(config()));
        return registry.byName(name).orElseThrow();
    }
}
