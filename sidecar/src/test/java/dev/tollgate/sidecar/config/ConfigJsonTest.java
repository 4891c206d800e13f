package dev.tollgate.sidecar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigJsonTest {
    private static final String VALID = """
            {"version":"7",
             "providers":[{"id":"ai/openai","type":"openai","apiKey":"sk-x"},{"id":"ai/mock","type":"mock","mock":{"latencyMs":5}}],
             "routes":[{"name":"team/chat","models":["chat","gpt-4o*"],
                        "backends":[{"provider":"ai/openai","model":"gpt-4o-mini"},{"provider":"ai/mock","priority":1}],
                        "retry":{"attempts":2,"on":["server-error"],"backoffMs":50}}],
             "spendKeys":[{"name":"team/bot","tokenSha256":"%s","budgetMicros":5000000,"period":"daily","enforcement":"lenient"}],
             "futureField":true}
            """.formatted("a".repeat(64));

    private static GatewayConfig read(String json) {
        return ConfigJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAndWritesTheSnapshotWithDefaultsFilledIn() {
        GatewayConfig config = read(VALID);

        RouteConfig route = config.routes().get(0);
        assertThat(route.backends().get(0).weight()).isEqualTo(1);
        assertThat(route.backends().get(1).priority()).isEqualTo(1);
        assertThat(route.timeouts().firstTokenMs()).isEqualTo(30_000);
        assertThat(config.spendKeys().get(0).period()).isEqualTo(BudgetPeriod.DAILY);
        assertThat(config.providers().get(0).effectiveBaseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(ConfigJson.read(ConfigJson.write(config))).isEqualTo(config);
        assertThat(config.providers().get(0).toString()).doesNotContain("sk-x");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "\"type\":\"openai\"                 | \"type\":\"opnai\"          | providers[0].type: unknown provider type 'opnai'",
        "\"type\":\"openai\"                 | \"type\":\"bedrock\"        | providers[0].options.region: required for provider type 'bedrock'",
        "\"provider\":\"ai/openai\"          | \"provider\":\"ai/none\"    | routes[0].backends[0].provider: unknown provider 'ai/none'",
        "\"models\":[\"chat\",\"gpt-4o*\"]   | \"models\":[\"g*pt\"]       | routes[0].models[0]: '*' is only allowed at the end",
        "\"on\":[\"server-error\"]           | \"on\":[\"sometimes\"]      | routes[0].retry.on: allowed values are",
        "\"attempts\":2                      | \"attempts\":\"two\"        | routes[0].retry.attempts: 'two' is not a valid int",
        "\"period\":\"daily\"                | \"period\":\"hourly\"       | spendKeys[0].period: 'hourly' is not one of daily, weekly, monthly, total",
    })
    void invalidConfigurationNamesTheBadField(String from, String to, String message) {
        assertThat(VALID).contains(from);
        assertThatThrownBy(() -> read(VALID.replace(from, to)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void openAiCompatibleNeedsABaseUrlAndHashesMustBeHex() {
        GatewayConfig noUrl = new GatewayConfig("1",
                List.of(new ProviderConfig("ai/local", "openai-compatible", null, null, null, Map.of(), Map.of(), null)), null, null, null);
        assertThatThrownBy(noUrl::validate).hasMessage("providers[0].baseUrl: required for provider type 'openai-compatible'");

        assertThatThrownBy(() -> read(VALID.replace("a".repeat(64), "not-a-hash")))
                .hasMessageContaining("spendKeys[0].tokenSha256: must be 64 lowercase hex characters");
        assertThatThrownBy(() -> read("{not json")).hasMessageStartingWith("configuration is not valid JSON");
    }

    @Test
    void durationsReadKubernetesStyle() {
        assertThat(Durations.toMillis("250ms", "f")).isEqualTo(250);
        assertThat(Durations.toMillis("30s", "f")).isEqualTo(30_000);
        assertThat(Durations.toMillis("1m30s", "f")).isEqualTo(90_000);
        assertThat(Durations.toMillis("2h", "f")).isEqualTo(7_200_000);
        assertThatThrownBy(() -> Durations.toMillis("30 seconds", "timeouts.request"))
                .hasMessage("timeouts.request: '30 seconds' is not a duration like 250ms, 30s or 5m");
    }
}
