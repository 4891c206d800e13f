package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.config.ProviderConfig;

/**
 * How every provider family classifies a non-2xx answer once its own cases are handled (Azure's
 * content filter, Google's invalid key and RetryInfo, Bedrock's 424): 401 and 403 mean the provider
 * refused the gateway's own credentials, and 402 its account (out of credit: OpenRouter, Anthropic);
 * both are a server error so the route fails over, with a message naming the provider and never
 * the key. 429 is rate limiting, 408 a timeout, 5xx the provider's trouble, and any other status
 * the request's fault, answered with the provider's message.
 */
public final class StatusFailures {
    private StatusFailures() {
    }

    /** The default classification; {@code detail} is the provider's message, already scrubbed, or null. */
    public static UpstreamFailure classify(int status, Long retryAfterMs, String detail, ProviderConfig provider) {
        if (status == 401 || status == 403) {
            return credentials(status, provider);
        }
        if (status == 402) {
            return credentials(status, provider, "refused the gateway's account: payment required");
        }
        FailureClass kind = status == 429 ? FailureClass.RATE_LIMITED
                : status == 408 ? FailureClass.TIMEOUT
                : status >= 500 ? FailureClass.SERVER_ERROR
                : FailureClass.CLIENT_ERROR;
        return of(kind, status, retryAfterMs, detail);
    }

    /** The provider rejected the gateway's credentials: another backend may work. */
    public static UpstreamFailure credentials(int status, ProviderConfig provider) {
        return credentials(status, provider, "rejected the gateway's credentials");
    }

    /** The provider refused the gateway's credentials or account, as {@code refused} says. */
    public static UpstreamFailure credentials(int status, ProviderConfig provider, String refused) {
        return new UpstreamFailure(FailureClass.SERVER_ERROR, status, null,
                "provider '" + provider.id() + "' " + refused + " (upstream status " + status + ")");
    }

    /** A failure of the given class; without the provider's message, the message is the status. */
    public static UpstreamFailure of(FailureClass kind, int status, Long retryAfterMs, String detail) {
        return new UpstreamFailure(kind, status, retryAfterMs, detail == null ? "upstream status " + status : detail);
    }
}
