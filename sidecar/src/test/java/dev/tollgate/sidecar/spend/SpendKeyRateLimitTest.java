package dev.tollgate.sidecar.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Requests and tokens per minute: token buckets that refill continuously. */
class SpendKeyRateLimitTest {
    private final TestClock clock = new TestClock("2026-03-10T12:00:00Z");
    private final SpendKeyRegistry registry = new SpendKeyRegistry(clock);

    @Test
    void requestsRefillContinuouslyUpToTheLimit() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").requestsPerMinute(60).in(registry);
        admitTimes(key, 60, 0);
        assertRateLimited(key, 0);

        clock.advance(Duration.ofMillis(999));
        assertRateLimited(key, 0);
        clock.advance(Duration.ofMillis(1));
        key.admit("chat", 0, 0); // 60 per minute is one per second
        assertRateLimited(key, 0);

        clock.advance(Duration.ofSeconds(30));
        admitTimes(key, 30, 0);
        assertRateLimited(key, 0);

        clock.advance(Duration.ofMinutes(10)); // a long pause refills to the limit, not beyond
        admitTimes(key, 60, 0);
        assertRateLimited(key, 0);
    }

    @Test
    void tokensAreTakenByEstimateAndCorrectedToTheActualCount() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").tokensPerMinute(1_000).in(registry);

        Admission first = key.admit("chat", 600, 0);
        assertRateLimited(key, 401);
        first.settle(0, 300, 600); // 900 used, not 600: 100 left

        assertRateLimited(key, 101);
        key.admit("chat", 100, 0).settle(0, 50, 10); // the 40 not used come back
        assertThatCode(() -> key.admit("chat", 40, 0)).doesNotThrowAnyException();
    }

    @Test
    void aLargeActualCountDrivesTheBucketNegativeUntilItRefills() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").tokensPerMinute(1_000).in(registry);
        key.admit("chat", 100, 0).settle(0, 2_000, 1_000); // 3,000 tokens: 2,000 below zero

        assertRateLimited(key, 0);
        clock.advance(Duration.ofMinutes(2));
        assertRateLimited(key, 1);
        key.admit("chat", 0, 0).cancel();

        clock.advance(Duration.ofSeconds(30));
        assertRateLimited(key, 501);
        key.admit("chat", 500, 0);
    }

    @Test
    void aRequestLargerThanTheTokenLimitNeverFits() {
        SpendKey key = TestKey.named("team-a/bot").tokensPerMinute(1_000).in(registry);

        assertThat(assertRateLimited(key, 1_001).getMessage())
                .isEqualTo("Spend key 'team-a/bot' exceeded its rate limit of 1000 tokens per minute; retry later.");
    }

    @Test
    void cancelGivesBackTheRequestAndItsTokens() throws SpendRejection {
        SpendKey key = TestKey.named("team-a/bot").requestsPerMinute(1).tokensPerMinute(500).in(registry);

        key.admit("chat", 500, 0).cancel();

        key.admit("chat", 500, 0);
        assertRateLimited(key, 0);
    }

    private static void admitTimes(SpendKey key, int times, long tokens) throws SpendRejection {
        for (int i = 0; i < times; i++) {
            key.admit("chat", tokens, 0);
        }
    }

    private static SpendRejection assertRateLimited(SpendKey key, long tokens) {
        SpendRejection rejection = catchThrowableOfType(SpendRejection.class, () -> key.admit("chat", tokens, 0));
        assertThat(rejection).as("a request for %d tokens should be rate limited", tokens).isNotNull();
        assertThat(rejection.code()).isEqualTo("rate_limited");
        assertThat(rejection.httpStatus()).isEqualTo(429);
        return rejection;
    }
}
