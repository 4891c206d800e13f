package dev.tollgate.sidecar.testing;

import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.config.CircuitBreakerConfig;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Short builders for the configuration snapshots tests run with. */
public final class Configs {
    public static final String PROVIDER_KEY = "sk-provider-secret-0123456789";

    private Configs() {
    }

    public static ProviderConfig openAi(String id, FakeUpstream upstream) {
        return new ProviderConfig(id, "openai-compatible", upstream.baseUrl(), PROVIDER_KEY, null, Map.of("OpenAI-Organization", "org-test"), null, null);
    }

    public static ProviderConfig mock(String id, MockConfig mock) {
        return new ProviderConfig(id, "mock", null, null, null, null, null, mock);
    }

    public static BackendConfig backend(String provider, String model, int priority) {
        return new BackendConfig(provider, model, 1, priority);
    }

    public static RouteConfig route(String name, List<String> models, BackendConfig... backends) {
        return route(name, models, RetryConfig.defaults(), TimeoutConfig.defaults(), backends);
    }

    public static RouteConfig route(String name, List<String> models, RetryConfig retry, TimeoutConfig timeouts,
                                    BackendConfig... backends) {
        return new RouteConfig(name, models, null, List.of(backends), retry, timeouts,
                new CircuitBreakerConfig(3, 60_000), false, null);
    }

    public static GatewayConfig config(List<ProviderConfig> providers, List<RouteConfig> routes, List<SpendKeyConfig> keys) {
        return new GatewayConfig("1", providers, routes, null, keys);
    }

    /** The gateway most tests need: model {@code chat} routed to {@code provider}'s gpt-4o-mini, no spend keys. */
    public static GatewayConfig chatRoute(ProviderConfig provider) {
        return config(List.of(provider), List.of(route("team/chat", List.of("chat"), backend(provider.id(), "gpt-4o-mini", 0))),
                List.of());
    }

    public static SpendKeyConfig key(String name, String token, Long budgetMicros, List<String> models) {
        return new SpendKeyConfig(name, SpendKeyRegistry.sha256Hex(token), models, budgetMicros, BudgetPeriod.MONTHLY,
                null, null, null, false, null);
    }

    public static SpendKeyConfig key(String name, String token, Long budgetMicros, List<String> models,
                                     Integer rpm, Integer tpm, Instant expiresAt, boolean suspended) {
        return new SpendKeyConfig(name, SpendKeyRegistry.sha256Hex(token), models, budgetMicros, BudgetPeriod.MONTHLY,
                rpm, tpm, expiresAt, suspended, null);
    }

    public static String chatBody(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    }
}
