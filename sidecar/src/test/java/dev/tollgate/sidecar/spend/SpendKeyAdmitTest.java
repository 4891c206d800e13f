package dev.tollgate.sidecar.spend;

import static dev.tollgate.sidecar.metering.Money.parseUsd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.sidecar.config.BudgetPeriod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The policy checks a request meets: each rejection with the status and code the caller sees. */
class SpendKeyAdmitTest {
    private final TestClock clock = new TestClock("2026-03-10T12:00:00Z");
    private final SpendKeyRegistry registry = new SpendKeyRegistry(clock);

    @Test
    void suspendedKeyIsForbidden() {
        TestKey spec = TestKey.named("team-a/bot").suspended();
        SpendRejection rejection = reject(spec.in(registry), "chat", 10, 0);

        assertThat(rejection.httpStatus()).isEqualTo(403);
        assertThat(rejection.type()).isEqualTo("permission_error");
        assertThat(rejection.code()).isEqualTo("spend_key_suspended");
        assertThat(rejection.getMessage()).contains("team-a/bot").contains("suspended").doesNotContain(spec.token());
    }

    @Test
    void keyExpiresExactlyAtItsExpiryInstant() throws SpendRejection {
        TestKey spec = TestKey.named("team-a/bot").expiresAt("2026-03-10T12:00:01Z");
        SpendKey key = spec.in(registry);

        clock.set("2026-03-10T12:00:00.999Z");
        key.admit("chat", 10, 0).settle(0, 5, 5);

        clock.set("2026-03-10T12:00:01Z");
        SpendRejection rejection = reject(key, "chat", 10, 0);
        assertThat(rejection.httpStatus()).isEqualTo(401);
        assertThat(rejection.type()).isEqualTo("authentication_error");
        assertThat(rejection.code()).isEqualTo("spend_key_expired");
        assertThat(rejection.getMessage()).contains("team-a/bot").contains("2026-03-10T12:00:01Z")
                .doesNotContain(spec.token());
    }

    @Test
    void modelsAreAllowedByExactNameOrTrailingStarPrefix() {
        SpendKey key = TestKey.named("team-a/bot").models("chat", "claude-*").in(registry);

        assertAdmits(key, "chat");
        assertAdmits(key, "claude-haiku-4-5");
        assertAdmits(key, "claude-");
        for (String model : new String[] {"chat-large", "Chat", "claude", "gpt-4o", "my-claude-x"}) {
            SpendRejection rejection = reject(key, model, 10, 0);
            assertThat(rejection.httpStatus()).as(model).isEqualTo(403);
            assertThat(rejection.type()).isEqualTo("permission_error");
            assertThat(rejection.code()).isEqualTo("model_not_allowed");
            assertThat(rejection.getMessage()).contains("team-a/bot").contains("'" + model + "'");
        }
    }

    @Test
    void anEmptyModelListAllowsEveryModel() {
        SpendKey key = TestKey.named("team-a/open").in(registry);

        assertAdmits(key, "gpt-4o");
        assertAdmits(key, "anything/at-all");
    }

    @Test
    void requestThatDoesNotFitTheBudgetIsRefusedWithWhatIsLeft() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.MONTHLY).in(registry);
        key.admit("chat", 100, parseUsd("0.60"));

        SpendRejection rejection = reject(key, "chat", 100, parseUsd("0.41"));

        assertThat(rejection.httpStatus()).isEqualTo(429);
        assertThat(rejection.type()).isEqualTo("insufficient_quota");
        assertThat(rejection.code()).isEqualTo("budget_exceeded");
        assertThat(rejection.getMessage())
                .isEqualTo("Spend key 'team-a/bot' has $0.40 left of its monthly budget of $1.00;"
                        + " this request may cost up to $0.41.");
        assertThatCode(() -> key.admit("chat", 100, parseUsd("0.40"))).doesNotThrowAnyException();
    }

    @Test
    void tooManyRequestsAreRateLimited() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").requestsPerMinute(2).in(registry);
        key.admit("chat", 10, 0);
        key.admit("chat", 10, 0);

        SpendRejection rejection = reject(key, "chat", 10, 0);

        assertThat(rejection.httpStatus()).isEqualTo(429);
        assertThat(rejection.type()).isEqualTo("rate_limit_error");
        assertThat(rejection.code()).isEqualTo("rate_limited");
        assertThat(rejection.getMessage()).contains("team-a/bot").contains("2 requests per minute");
    }

    @Test
    void aRejectedRequestUsesUpNothing() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").budget("1.00", BudgetPeriod.DAILY)
                .requestsPerMinute(2).tokensPerMinute(1_000).in(registry);

        reject(key, "chat", 800, parseUsd("1.50")); // over budget: must not take a request or tokens
        reject(key, "chat", 800, parseUsd("1.50"));

        key.admit("chat", 800, parseUsd("0.50"));
        assertThat(key.remainingMicros()).isEqualTo(parseUsd("0.50"));
        assertThat(reject(key, "chat", 201, 0).code()).isEqualTo("rate_limited"); // tokens: 200 left
        key.admit("chat", 200, parseUsd("0.50"));
    }

    @Test
    void checksComeInOrderSuspensionFirst() {
        SpendKey key = TestKey.named("team-a/bot").suspended().expiresAt("2026-01-01T00:00:00Z")
                .models("chat").budget("0.00", BudgetPeriod.TOTAL).in(registry);

        assertThat(reject(key, "gpt-4o", 10, 1).code()).isEqualTo("spend_key_suspended");
    }

    @Test
    void expiryIsCheckedBeforeTheModelAndTheBudget() {
        SpendKey key = TestKey.named("team-a/bot").expiresAt("2026-01-01T00:00:00Z")
                .models("chat").budget("0.00", BudgetPeriod.TOTAL).in(registry);

        assertThat(reject(key, "gpt-4o", 10, 1).code()).isEqualTo("spend_key_expired");
        clock.advance(Duration.ofDays(-365));
        assertThat(reject(key, "gpt-4o", 10, 1).code()).isEqualTo("model_not_allowed");
        assertThat(reject(key, "chat", 10, 1).code()).isEqualTo("budget_exceeded");
    }

    private static void assertAdmits(SpendKey key, String model) {
        assertThatCode(() -> key.admit(model, 10, 0).cancel()).as(model).doesNotThrowAnyException();
    }

    private static SpendRejection reject(SpendKey key, String model, long tokens, long worstCase) {
        SpendRejection rejection = catchThrowableOfType(SpendRejection.class,
                () -> key.admit(model, tokens, worstCase));
        assertThat(rejection).as("admit(%s) should be rejected", model).isNotNull();
        return rejection;
    }
}
