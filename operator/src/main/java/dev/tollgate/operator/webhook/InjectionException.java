package dev.tollgate.operator.webhook;

/** The pod asks for the sidecar but cannot get it as written; the message says why, for the user. */
public final class InjectionException extends Exception {
    public InjectionException(String message) {
        super(message);
    }
}
