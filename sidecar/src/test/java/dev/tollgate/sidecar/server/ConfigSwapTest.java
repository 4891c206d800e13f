package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.mock;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A new configuration applies to new requests at once, and never fails one already in flight. */
class ConfigSwapTest {
    private static final String STREAM = "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a long answer please\"}]}";

    private static GatewayConfig routedTo(String provider, String reply) {
        return config(List.of(mock(provider, new MockConfig(0, 30, 1, null, null, reply))),
                List.of(route("demo/chat", List.of("chat"), backend(provider, "gpt-4o-mini", 0))), List.of());
    }

    @Test
    void inFlightStreamsFinishOnTheOldConfigurationWhileNewRequestsUseTheNewOne() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(routedTo("demo/old", "one two three four five six seven eight nine ten"))) {
            HttpResponse<InputStream> inFlight = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(sidecar.baseUrl() + "/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            InputStream body = inFlight.body();
            byte[] firstChunk = new byte[64];
            assertThat(body.read(firstChunk)).as("the stream has started").isPositive();

            sidecar.sidecar().apply(routedTo("demo/new", "fresh"));
            HttpResponse<String> fresh = sidecar.post("/v1/chat/completions", STREAM);

            assertThat(fresh.body()).contains("fresh").endsWith("data: [DONE]\n\n");
            String rest = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rest).contains(" ten").endsWith("data: [DONE]\n\n");
            List<JsonNode> lines = sidecar.usageLines(2);
            assertThat(lines).extracting(l -> l.get("provider").asText()).containsExactlyInAnyOrder("demo/old", "demo/new");
        }
    }

    @Test
    void closingLetsAStreamInFlightFinishAndTakesNoNewRequests() throws Exception {
        TestSidecar sidecar = TestSidecar.start(routedTo("demo/old", "one two three four five six seven eight nine ten"));
        HttpResponse<InputStream> inFlight = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sidecar.baseUrl() + "/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = inFlight.body();
        assertThat(body.read(new byte[64])).as("the stream has started").isPositive();

        Thread closing = new Thread(sidecar::close);
        closing.start();
        Thread.sleep(50);
        java.net.http.HttpResponse<String> refused = sidecar.post("/v1/chat/completions", STREAM);

        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).contains(" ten").endsWith("data: [DONE]\n\n");
        assertThat(refused.statusCode()).isEqualTo(503);
        closing.join(10_000);
        assertThat(closing.isAlive()).isFalse();
    }

    @Test
    void anInvalidConfigurationIsRefusedAndTheOldOneKeepsServing() {
        try (TestSidecar sidecar = TestSidecar.start(routedTo("demo/old", "still here"))) {
            GatewayConfig broken = config(List.of(), List.of(route("demo/chat", List.of("chat"), backend("demo/gone", null, 0))), List.of());

            assertThatThrownBy(() -> sidecar.sidecar().apply(broken)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("routes[0].backends[0].provider: unknown provider 'demo/gone'");
            assertThat(sidecar.post("/v1/chat/completions", STREAM).body()).contains("\"still\"").contains("\" here\"");
        }
    }
}
