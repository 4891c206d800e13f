package dev.tollgate.sidecar.api;

/**
 * An error answered to the client in OpenAI's shape {@code {"error":{"message","type","code"}}}.
 * Messages are user-facing and must never contain a key or a token.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final Long retryAfterSeconds;

    public ApiError(int status, String type, String code, String message) {
        this(status, type, code, message, null);
    }

    /** @param retryAfterSeconds sent as the answer's {@code Retry-After} header, so clients back off; null for none */
    public ApiError(int status, String type, String code, String message, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, "invalid_request_error", code, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
