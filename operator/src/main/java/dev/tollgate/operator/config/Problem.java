package dev.tollgate.operator.config;

/**
 * Why one object is not (fully) in the snapshot. Reconcilers turn these into conditions; local
 * mode prints them. Messages name objects and fields, never a key or token.
 *
 * @param kind   AIRoute, ProviderSecret or SpendKey
 * @param name   the object's {@code namespace/name}
 * @param reason CamelCase condition reason, e.g. SecretMissing, Conflicted, RefNotPermitted
 */
public record Problem(String kind, String name, String reason, String message) {

    @Override
    public String toString() {
        return kind + " " + name + ": " + message + " (" + reason + ")";
    }
}
