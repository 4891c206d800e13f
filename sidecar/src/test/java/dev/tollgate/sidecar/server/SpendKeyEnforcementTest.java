package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.key;
import static dev.tollgate.sidecar.testing.Configs.mock;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.config.CircuitBreakerConfig;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.spend.SpendKeyLedger;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spend keys enforced on real requests through the mock provider (real token counts, catalog prices). */
class SpendKeyEnforcementTest {
    private static final String BOT = "tg_botToken00000000000000000000000";
    private TestSidecar sidecar;

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
    }

    private static String body(String model, int maxTokens) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about budgets\"}]}";
    }

    private void start(SidecarSettings settings, boolean requireKey, SpendKeyConfig... keys) {
        RouteConfig chat = new RouteConfig("team/chat", List.of("chat", "claude-*"), null,
                List.of(backend("ai/mock", "gpt-4o-mini", 0)), RetryConfig.defaults(), TimeoutConfig.defaults(),
                CircuitBreakerConfig.defaults(), requireKey, null);
        GatewayConfig config = config(List.of(mock("ai/mock", new MockConfig(5, 0, 1, null, null, null))),
                List.of(chat), List.of(keys));
        sidecar = TestSidecar.start(settings, config);
    }

    private HttpResponse<String> call(String token, String body) {
        return sidecar.post("/v1/chat/completions", body, "Authorization", "Bearer " + token);
    }

    @Test
    void fiftyConcurrentRequestsNeverSpendPastTheLimit() throws Exception {
        long limit = 400;  // micro-dollars: a handful of small requests
        start(SidecarSettings.defaults(), false, key("team/bot", BOT, limit, List.of()));
        assertThat(sidecar.metrics()).contains("tollgate_lease_remaining_usd{spend_key=\"team/bot\",} 4.0E-4");

        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> call(BOT, body("chat", 40)), pool));
        }
        int ok = 0;
        int rejected = 0;
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> response = c.get();
            if (response.statusCode() == 200) {
                ok++;
            } else {
                assertThat(response.statusCode()).isEqualTo(429);
                assertThat(response.body()).contains("budget_exceeded");
                rejected++;
            }
        }
        pool.shutdown();

        assertThat(ok).isPositive();
        assertThat(rejected).isPositive();
        List<JsonNode> lines = sidecar.usageLines(50);
        long charged = lines.stream().filter(l -> l.get("status").asInt() == 200).mapToLong(l -> l.get("costMicros").asLong()).sum();
        assertThat(charged).isLessThanOrEqualTo(limit);
        SpendKeyLedger ledger = sidecar.sidecar().spendKeys().ledgers().get(0);
        assertThat(ledger.spentMicros()).isEqualTo(charged);
        assertThat(ledger.requests()).isEqualTo(ok);
        assertThat(sidecar.metrics()).contains("tollgate_budget_rejections_total{spend_key=\"team/bot\",reason=\"budget_exceeded\",} " + rejected + ".0");
    }

    @Test
    void modelListExpirySuspensionAndRateLimitsAreEnforced() {
        start(SidecarSettings.defaults(), false,
                key("team/limited", "tg_limitedToken000000000000000000", null, List.of("claude-*"), 2, null, null, false),
                key("team/expired", "tg_expiredToken000000000000000000", null, List.of(), null, null, Instant.parse("2020-01-01T00:00:00Z"), false),
                key("team/paused", "tg_pausedToken0000000000000000000", null, List.of(), null, null, null, true));

        assertThat(call("tg_limitedToken000000000000000000", body("chat", 10)).statusCode()).isEqualTo(403);
        assertThat(call("tg_limitedToken000000000000000000", body("claude-haiku", 10)).statusCode()).isEqualTo(200);
        assertThat(call("tg_limitedToken000000000000000000", body("claude-haiku", 10)).statusCode()).isEqualTo(200);
        HttpResponse<String> third = call("tg_limitedToken000000000000000000", body("claude-haiku", 10));
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.body()).contains("rate_limited");

        HttpResponse<String> expired = call("tg_expiredToken000000000000000000", body("chat", 10));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("spend_key_expired");
        HttpResponse<String> paused = call("tg_pausedToken0000000000000000000", body("chat", 10));
        assertThat(paused.statusCode()).isEqualTo(403);
        assertThat(paused.body()).contains("spend_key_suspended");
    }

    @Test
    void thePodsDefaultKeyPaysForRequestsWithoutOneAndRoutesCanRequireAKey() {
        start(SidecarSettings.defaults().withDefaultSpendKey("team/bot"), false, key("team/bot", BOT, 1_000_000L, List.of()));
        assertThat(sidecar.post("/v1/chat/completions", body("chat", 10), "Authorization", "Bearer sk-not-ours").statusCode())
                .isEqualTo(200);
        assertThat(sidecar.sidecar().spendKeys().ledgers().get(0).requests()).isEqualTo(1);
        sidecar.close();

        start(SidecarSettings.defaults(), true, key("team/bot", BOT, 1_000_000L, List.of()));
        HttpResponse<String> anonymous = sidecar.post("/v1/chat/completions", body("chat", 10));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("spend_key_required");
        assertThat(call(BOT, body("chat", 10)).statusCode()).isEqualTo(200);
    }
}
