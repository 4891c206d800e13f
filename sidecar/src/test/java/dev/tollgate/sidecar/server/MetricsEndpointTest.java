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

    @Test
    void modelNamesFromClientsCannotGrowTheSeriesOrTheScrape() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(config(
                List.of(mock("demo/mock", MockConfig.defaults())),
                // A prefix pattern passes the client's model name through to the backend.
                List.of(route("demo/chat", List.of("chat", "gpt-4o*"), backend("demo/mock", null, 0))),
                List.of()))) {
            String padding = "x".repeat(64 * 1024);
            for (int i = 0; i < 3_000; i++) {
                assertThat(sidecar.post("/v1/chat/completions", chatBody("unknown-" + i + "-" + padding, false)).statusCode())
                        .isEqualTo(404);
            }
            for (int i = 0; i < 300; i++) {
                assertThat(sidecar.post("/v1/chat/completions", chatBody("gpt-4o-variant-" + i, false),
                        "x-tollgate-feature", "feature-" + i).statusCode()).isEqualTo(200);
            }
            for (int i = 0; i < 20; i++) {
                assertThat(sidecar.post("/v1/chat/completions", chatBody("gpt-4o-" + i + padding, false),
                        "x-tollgate-feature", "f" + i + "y".repeat(4_096)).statusCode()).isEqualTo(200);
            }

            String metrics = metricsOnceIdle(sidecar);
            long series = metrics.lines().filter(line -> !line.startsWith("#")).count();
            System.out.printf("metrics after 3,320 requests with client-chosen names: %d bytes, %d series%n",
                    metrics.length(), series);
            assertThat(metrics).contains("tollgate_requests_total{route=\"\",model=\"unrouted\",upstream_model=\"\","
                            + "provider=\"\",provider_type=\"\",spend_key=\"\",feature=\"\",status=\"4xx\",} 3000.0")
                    .contains("model=\"gpt-4o-variant-0\"")
                    .contains("model=\"other\"")
                    .doesNotContain("unknown-")
                    .doesNotContain("xxxxxxxx")
                    .doesNotContain("yyyyyyyy");
            // 64 model names and 64 features keep their names; the rest share "other".
            assertThat(metrics.lines().filter(line -> line.startsWith("tollgate_requests_total{")).count()).isLessThanOrEqualTo(70);
            assertThat(series).isLessThan(8_000);
            assertThat(metrics.length()).isLessThan(1_500_000);
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
