package dev.tollgate.sidecar.provider;

/** The provider answered with something that is not its documented format (garbage, an error mid-stream). */
public final class InvalidUpstreamResponse extends RuntimeException {
    public InvalidUpstreamResponse(String message) {
        super(message, null, false, false);
    }
}
