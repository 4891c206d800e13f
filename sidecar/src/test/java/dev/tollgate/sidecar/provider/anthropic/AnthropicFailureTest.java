package dev.tollgate.sidecar.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Anthropic's documented error statuses: which are retried or failed over, and what the client may read. */
class AnthropicFailureTest {
    private static final String KEY = "sk-ant-api03-secretsecretsecret";
    private static final ProviderConfig PROVIDER = new ProviderConfig("ai/anthropic", "anthropic", null, KEY, null, null, null, null);

    private final AnthropicAdapter adapter = new AnthropicAdapter();

    private UpstreamFailure failure(int status, String retryAfter, String body) {
        return adapter.failure(status, Optional.ofNullable(retryAfter), body.getBytes(StandardCharsets.UTF_8), PROVIDER);
    }

    @Test
    void overloaded529AndServerErrorsAreRetryable() {
        UpstreamFailure overloaded = failure(529, null, Fixtures.read("anthropic/error-529.json"));

        assertThat(overloaded.kind()).isEqualTo(FailureClass.SERVER_ERROR);
        assertThat(overloaded.status()).isEqualTo(529);
        assertThat(overloaded.message()).isEqualTo("overloaded_error: Overloaded");
        assertThat(failure(500, null, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}").kind())
                .isEqualTo(FailureClass.SERVER_ERROR);
    }

    @Test
    void rateLimitingHonoursRetryAfter() {
        UpstreamFailure limited = failure(429, "7", Fixtures.read("anthropic/error-429.json"));

        assertThat(limited.kind()).isEqualTo(FailureClass.RATE_LIMITED);
        assertThat(limited.retryAfterMs()).isEqualTo(7_000L);
        assertThat(limited.message()).startsWith("rate_limit_error: This request would exceed the rate limit");
    }

    @Test
    void rejectedCredentialsAreOurProblemNamedByProviderNeverByKey() {
        UpstreamFailure unauthorized = failure(401, null, Fixtures.read("anthropic/error-401.json"));

        assertThat(unauthorized.kind()).isEqualTo(FailureClass.SERVER_ERROR);
        assertThat(unauthorized.message()).contains("ai/anthropic").contains("401").doesNotContain(KEY);
        assertThat(failure(403, null, "{}").kind()).isEqualTo(FailureClass.SERVER_ERROR);
        UpstreamFailure billing = failure(402, null, "{\"type\":\"error\",\"error\":{\"type\":\"billing_error\",\"message\":\"Your credit balance is too low\"}}");
        assertThat(billing.kind()).isEqualTo(FailureClass.SERVER_ERROR);
        assertThat(billing.message()).contains("ai/anthropic").contains("402");
    }

    @Test
    void aBadRequestIsTheClientsWithTheProvidersMessageScrubbed() {
        UpstreamFailure bad = failure(400, null, Fixtures.read("anthropic/error-400.json"));

        assertThat(bad.kind()).isEqualTo(FailureClass.CLIENT_ERROR);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.message()).isEqualTo("invalid_request_error: max_tokens: 100000 > 64000, which is the maximum "
                + "allowed number of output tokens for claude-haiku-4-5-20251001");
        UpstreamFailure leaky = failure(404, null,
                "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no model for key " + KEY + "\"}}");
        assertThat(leaky.kind()).isEqualTo(FailureClass.CLIENT_ERROR);
        assertThat(leaky.message()).doesNotContain(KEY).contains("[redacted]");
        assertThat(failure(413, null, "not json").message()).isEqualTo("upstream status 413");
    }
}
