package dev.tollgate.sidecar.provider;

/** Why an upstream attempt failed; the first four may be retried or failed over (route's retry.on). */
public enum FailureClass {
    RATE_LIMITED("rate-limited"),
    SERVER_ERROR("server-error"),
    TIMEOUT("timeout"),
    CONNECT_ERROR("connect-error"),
    /** The provider refused the request itself (400, 404, 422...): another backend would too. */
    CLIENT_ERROR("client-error");

    private final String wireName;

    FailureClass(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
