package dev.tollgate.sidecar.provider.vertex;

/** The token endpoint refused or garbled the exchange; the message is safe to show (no key, no token). */
final class TokenExchangeFailed extends Exception {
    TokenExchangeFailed(String message) {
        super(message, null, false, false);
    }
}
