package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.routing.Outcome;

/** The error a client gets when no backend answered: what the failover executor's last failure means to it. */
final class FailedOutcomeErrors {
    private FailedOutcomeErrors() {
    }

    /**
     * Every backend failed: 502 or 504 naming the last upstream status, or the provider's own 4xx. When
     * the backends were rate-limited, 429 with the longest Retry-After they asked for, so SDKs back off.
     */
    static ApiError of(Outcome.Failed failed, String routeName, String apiPath) {
        UpstreamFailure failure = failed.failure();
        if (failed.attempts() == 0 && failure.kind() == FailureClass.CLIENT_ERROR) {
            return new ApiError(400, "invalid_request_error", "api_not_served", "No backend of route '"
                    + routeName + "' serves " + apiPath + "; route this model to a provider that does.");
        }
        if (failed.attempts() == 0) {
            return new ApiError(503, "api_error", "no_backend_available", "No backend of route '" + routeName
                    + "' can be called now: " + failure.message());
        }
        if (failure.kind() == FailureClass.CLIENT_ERROR) {
            return new ApiError(failure.status(), "invalid_request_error", "upstream_rejected_request",
                    "The provider rejected the request: " + failure.message());
        }
        String last = failure.status() > 0 ? "last upstream status " + failure.status() + ": " : "last failure: ";
        String message = "Every backend of route '" + routeName + "' failed; " + last + failure.message();
        return switch (failure.kind()) {
            case TIMEOUT -> new ApiError(504, "api_error", "upstream_timeout", message);
            case RATE_LIMITED -> new ApiError(429, "rate_limit_error", "rate_limited", message,
                    failure.retryAfterMs() == null ? null : (failure.retryAfterMs() + 999) / 1000);
            default -> new ApiError(502, "api_error", "upstream_error", message);
        };
    }
}
