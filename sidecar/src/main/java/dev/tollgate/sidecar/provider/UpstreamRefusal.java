package dev.tollgate.sidecar.provider;

/**
 * The provider answered but refused the content (a safety or content-filter block on the prompt):
 * the request is at fault, not the provider, so it is answered as a client error and not retried
 * elsewhere. The message must be safe to show the client.
 */
public final class UpstreamRefusal extends RuntimeException {
    public UpstreamRefusal(String message) {
        super(message, null, false, false);
    }
}
