package dev.tollgate.sidecar.server;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.mock;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.testing.TestSidecar;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admin port: health, readiness and the Prometheus metrics DESIGN.md section 7 names. */
class MetricsEndpointTest {

    @Test
    void metricsCarryRequestsTokensCostAndGenAiHistogramsWithBoundedLabels() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(config(
                List.of(mock("demo/mock", MockConfig.defaults())),
                List.of(route("demo/chat", List.of("chat"), backend("demo/mock", "gpt-4o-mini", 0))),
                List.of()))) {
            for (int i = 0; i < 70; i++) {
                sidecar.post("/v1/chat/completions",
                        "{\"model\":\"chat\",\"user\":\"end-user-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "x-tollgate-feature", "feature-" + i);
            }

            assertThat(sidecar.get(sidecar.adminUrl() + "/healthz").statusCode()).isEqualTo(200);
            assertThat(sidecar.get(sidecar.adminUrl() + "/readyz").statusCode()).isEqualTo(200);
            String metrics = metricsOnceIdle(sidecar);
            assertThat(metrics)
                    .contains("tollgate_requests_total{route=\"demo/chat\",model=\"chat\",upstream_model=\"gpt-4o-mini\","
                            + "provider=\"demo/mock\",provider_type=\"mock\",spend_key=\"\",feature=\"feature-0\",status=\"2xx\",} 1.0")
                    .contains("feature=\"other\",status=\"2xx\",} 6.0")
                    .contains("tollgate_tokens_total{")
                    .contains("token_type=\"input\"")
                    .contains("token_type=\"output\"")
                    .contains("tollgate_cost_usd_total{")
                    .contains("tollgate_request_duration_seconds_bucket{")
                    .contains("tollgate_gateway_overhead_seconds_bucket{")
                    .contains("tollgate_upstream_attempts_total{route=\"demo/chat\",upstream_model=\"gpt-4o-mini\",provider=\"demo/mock\",provider_type=\"mock\",result=\"success\",} 70.0")
                    .contains("tollgate_inflight_requests 0.0")
                    .contains("gen_ai_client_token_usage_bucket{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"mock\"")
                    .contains("gen_ai_client_operation_duration_seconds_count{")
                    .contains("jvm_memory_bytes_used")
                    .doesNotContain("end-user-");
        }
    }

    @Test
    void aFailedRequestIsCountedUnderTheProviderThatFailedItAndAddsNoTokensOrCost() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(config(
                List.of(mock("demo/mock", new MockConfig(0, 0, 1, 400, null, null))),
                List.of(route("demo/chat", List.of("chat"), backend("demo/mock", "gpt-4o-mini", 0))),
                List.of()))) {
            assertThat(sidecar.post("/v1/chat/completions", chatBody("chat", false)).statusCode()).isEqualTo(400);

            assertThat(metricsOnceIdle(sidecar))
                    .contains("tollgate_requests_total{route=\"demo/chat\",model=\"chat\",upstream_model=\"gpt-4o-mini\","
                            + "provider=\"demo/mock\",provider_type=\"mock\",spend_key=\"\",feature=\"\",status=\"4xx\",} 1.0")
                    .doesNotContain("tollgate_tokens_total{")
                    .doesNotContain("tollgate_cost_usd_total{")
                    .doesNotContain("gen_ai_client_token_usage_bucket{");
        }
    }

    /** A request leaves the in-flight gauge when its exchange completes, just after the client has the answer. */
    private static String metricsOnceIdle(TestSidecar sidecar) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        String metrics = sidecar.metrics();
        while (!metrics.contains("tollgate_inflight_requests 0.0") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            metrics = sidecar.metrics();
        }
        return metrics;
    }
}
