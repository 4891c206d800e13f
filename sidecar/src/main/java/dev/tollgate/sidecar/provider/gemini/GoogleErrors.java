package dev.tollgate.sidecar.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.RetryAfter;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.StatusFailures;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.util.Optional;

/**
 * Google's API errors ({@code {"error":{"code","message","status","details"}}}, the same on Google AI
 * and Vertex AI) as failure classes: 429 is rate limiting, 5xx the provider's trouble, 401/403 and an
 * invalid API key (Google answers that with 400 and reason {@code API_KEY_INVALID}) mean the
 * gateway's own credentials are bad, so the route fails over; any other 4xx is the request's fault.
 */
public final class GoogleErrors {
    private GoogleErrors() {
    }

    public static UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        JsonNode error = UpstreamJson.at(body, "/error");
        if (hasReason(error, "API_KEY_INVALID")) {
            return StatusFailures.credentials(status, provider);
        }
        String detail = Secrets.scrub(error.path("message").textValue(), provider);
        Long wait = RetryAfter.toMillis(retryAfter);
        return StatusFailures.classify(status, wait != null ? wait : retryDelay(error), detail, provider);
    }

    private static boolean hasReason(JsonNode error, String reason) {
        for (JsonNode detail : error.path("details")) {
            if (reason.equals(detail.path("reason").textValue())) {
                return true;
            }
        }
        return false;
    }

    /** A 429's {@code google.rpc.RetryInfo} detail says how long to wait, as a duration like "22s" or "10.5s". */
    private static Long retryDelay(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            String delay = detail.path("retryDelay").textValue();
            if (delay != null && delay.endsWith("s")) {
                return RetryAfter.toMillis(Optional.of(delay.substring(0, delay.length() - 1)));
            }
        }
        return null;
    }
}
