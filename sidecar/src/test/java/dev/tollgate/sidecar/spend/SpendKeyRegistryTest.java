package dev.tollgate.sidecar.spend;

import static dev.tollgate.sidecar.metering.Money.parseUsd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.ConfigJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding keys by token, policy updates that keep ledgers, and ledgers that survive a restart. */
class SpendKeyRegistryTest {
    private final TestClock clock = new TestClock("2026-03-10T12:00:00Z");
    private final SpendKeyRegistry registry = new SpendKeyRegistry(clock);
    private final TestKey bot = TestKey.named("team-a/bot").budget("10.00", BudgetPeriod.MONTHLY);
    private final TestKey batch = TestKey.named("team-a/batch").budget("5.00", BudgetPeriod.DAILY);

    @Test
    void sha256HexMatchesTheStandardTestVector() {
        assertThat(SpendKeyRegistry.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void authenticatesByTokenAndFindsByName() {
        registry.update(List.of(bot.config(), batch.config()));

        assertThat(registry.authenticate(bot.token())).map(SpendKey::name).contains("team-a/bot");
        assertThat(registry.authenticate(batch.token())).map(SpendKey::name).contains("team-a/batch");
        assertThat(registry.authenticate("tg_unknown")).isEmpty();
        assertThat(registry.authenticate("")).isEmpty();
        assertThat(registry.authenticate(null)).isEmpty();
        assertThat(registry.byName("team-a/batch")).get().extracting(SpendKey::name).isEqualTo("team-a/batch");
        assertThat(registry.byName("team-a/other")).isEmpty();
    }

    @Test
    void aKeyShowsNeitherItsTokenNorItsHash() {
        SpendKey key = bot.in(registry);

        assertThat(key.toString()).isEqualTo("SpendKey[team-a/bot]");
    }

    @Test
    void updateKeepsTheLedgerOfAKeyThatStaysAndAppliesItsNewPolicy() throws SpendRejection {
        registry.update(List.of(bot.config(), batch.config()));
        SpendKey key = registry.authenticate(bot.token()).orElseThrow();
        key.admit("chat", 100, parseUsd("2.00")).settle(parseUsd("1.50"), 60, 40);
        Admission inFlight = key.admit("chat", 100, parseUsd("1.00"));

        TestKey rotated = TestKey.named("team-a/bot").token("tg_rotated").budget("20.00", BudgetPeriod.MONTHLY)
                .models("chat");
        registry.update(List.of(rotated.config()));

        assertThat(registry.authenticate(bot.token())).isEmpty();
        assertThat(registry.authenticate(rotated.token())).containsSame(key);
        assertThat(registry.byName("team-a/batch")).isEmpty();
        assertThat(key.config().models()).containsExactly("chat");
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("17.50")); // 20.00 - 1.50 spent - 1.00 in flight
        assertThatThrownBy(() -> key.admit("gpt-4o", 1, 0)).isInstanceOf(SpendRejection.class);

        inFlight.settle(parseUsd("0.50"), 60, 40);
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("18.00"));
        assertThat(registry.ledgers()).singleElement().satisfies(ledger -> {
            assertThat(ledger.spentMicros()).isEqualTo(parseUsd("2.00"));
            assertThat(ledger.requests()).isEqualTo(2);
        });
    }

    @Test
    void aLowerBudgetCountsWhatIsAlreadySpentAndReserved() throws SpendRejection {
        SpendKey key = bot.in(registry);
        key.admit("chat", 100, parseUsd("2.00")).settle(parseUsd("2.00"), 60, 40);
        key.admit("chat", 100, parseUsd("1.00"));

        registry.update(List.of(TestKey.named("team-a/bot").budget("3.50", BudgetPeriod.MONTHLY).config()));

        assertThat(key.remainingMicros()).isEqualTo(parseUsd("0.50"));
        assertThatThrownBy(() -> key.admit("chat", 1, parseUsd("0.51"))).isInstanceOf(SpendRejection.class);
    }

    @Test
    void aRaisedRateLimitDoesNotRefillTheBucket() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").requestsPerMinute(2).in(registry);
        key.admit("chat", 1, 0);
        key.admit("chat", 1, 0);

        registry.update(List.of(TestKey.named("team-a/bot").requestsPerMinute(5).config()));

        assertThatThrownBy(() -> key.admit("chat", 1, 0)).isInstanceOf(SpendRejection.class);
        clock.advance(Duration.ofSeconds(12)); // 5 per minute: one every 12 s
        key.admit("chat", 1, 0);
    }

    @Test
    void invalidUpdateIsRefusedAndChangesNothing() {
        registry.update(List.of(bot.config()));
        TestKey twin = TestKey.named("team-a/bot").token("tg_twin");

        assertThatThrownBy(() -> registry.update(List.of(batch.config(), twin.config(), bot.config())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("spendKeys[2].name: duplicate spend key 'team-a/bot'");
        assertThatThrownBy(() -> registry.update(List.of(batch.config(),
                TestKey.named("team-a/x").token(bot.token()).config(), bot.config())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("two keys share one token");

        assertThat(registry.authenticate(bot.token())).isPresent();
        assertThat(registry.authenticate(batch.token())).isEmpty();
        assertThat(registry.authenticate(twin.token())).isEmpty();
    }

    @Test
    void ledgersSurviveARestartThroughTheirJsonForm() throws Exception {
        registry.update(List.of(bot.config(), batch.config()));
        SpendKey key = registry.byName("team-a/bot").orElseThrow();
        key.admit("chat", 100, parseUsd("2.00")).settle(parseUsd("1.25"), 700, 300);
        registry.byName("team-a/batch").orElseThrow().admit("chat", 10, 10).settle(7, 5, 5);
        clock.advance(Duration.ofDays(1));
        byte[] saved = ConfigJson.MAPPER.writeValueAsBytes(registry.ledgers());

        SpendKeyRegistry restarted = new SpendKeyRegistry(clock);
        restarted.update(List.of(bot.config(), batch.config()));
        restarted.restore(ConfigJson.MAPPER.readValue(saved, new TypeReference<List<SpendKeyLedger>>() { }));

        assertThat(restarted.ledgers()).isEqualTo(registry.ledgers());
        SpendKey again = restarted.authenticate(bot.token()).orElseThrow();
        assertThat(again.remainingMicros()).isEqualTo(parseUsd("8.75"));
        assertThat(restarted.ledgers().get(1)).satisfies(ledger -> {
            assertThat(ledger.name()).isEqualTo("team-a/bot");
            assertThat(ledger.requests()).isEqualTo(1);
            assertThat(ledger.inputTokens()).isEqualTo(700);
            assertThat(ledger.outputTokens()).isEqualTo(300);
            assertThat(ledger.lastUsedAt()).isEqualTo(Instant.parse("2026-03-10T12:00:00Z"));
        });
        // batch has a daily budget: its day closed while "down" and is in history.
        assertThat(restarted.ledgers().get(0).history())
                .containsExactly(new PeriodTotal(Instant.parse("2026-03-10T00:00:00Z"), 7, 1));
    }

    @Test
    void aLedgerFromAClosedPeriodRollsIntoHistory() {
        SpendKey key = bot.in(registry);
        List<PeriodTotal> older = List.of(new PeriodTotal(Instant.parse("2026-01-01T00:00:00Z"), 900_000, 3));

        registry.restore(List.of(new SpendKeyLedger("team-a/bot", Instant.parse("2026-02-01T00:00:00Z"),
                parseUsd("9.99"), 0, 42, 1_000, 2_000, Instant.parse("2026-02-27T10:00:00Z"), older)));

        assertThat(key.remainingMicros()).isEqualTo(parseUsd("10.00"));
        SpendKeyLedger ledger = registry.ledgers().get(0);
        assertThat(ledger.periodStart()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(ledger.spentMicros()).isZero();
        assertThat(ledger.requests()).isZero();
        assertThat(ledger.lastUsedAt()).isEqualTo(Instant.parse("2026-02-27T10:00:00Z"));
        assertThat(ledger.history()).containsExactly(older.get(0),
                new PeriodTotal(Instant.parse("2026-02-01T00:00:00Z"), parseUsd("9.99"), 42));
    }

    @Test
    void restoreIgnoresUnknownKeysAndRefusesDuplicates() {
        SpendKey key = bot.in(registry);
        Instant march = Instant.parse("2026-03-01T00:00:00Z");
        SpendKeyLedger spent = new SpendKeyLedger("team-a/bot", march, parseUsd("4.00"), 0, 1, 1, 1, null, null);

        assertThatThrownBy(() -> registry.restore(List.of(spent, spent)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'team-a/bot' appears twice");
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("10.00"));

        registry.restore(List.of(new SpendKeyLedger("team-b/gone", march, 5, 0, 1, 1, 1, null, null), spent));
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("6.00"));
        assertThat(registry.ledgers()).extracting(SpendKeyLedger::name).containsExactly("team-a/bot");
    }

    @Test
    void aDamagedLedgerIsAClearError() {
        assertThatThrownBy(() -> ConfigJson.MAPPER.readValue(
                "{\"name\":\"team-a/bot\",\"periodStart\":\"2026-03-01T00:00:00Z\",\"spentMicros\":-5}",
                SpendKeyLedger.class))
                .hasRootCauseMessage("spend key ledger 'team-a/bot': counters must be >= 0");
    }
}
