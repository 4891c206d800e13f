package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.metering.Money;
import java.time.Instant;

/**
 * Why a spend key may not make a request, in the OpenAI error shape's terms. The message is shown to the
 * caller: it names the key and the reason, never the token.
 */
public final class SpendRejection extends Exception {
    private final int httpStatus;
    private final String type;
    private final String code;

    private SpendRejection(int httpStatus, String type, String code, String message) {
        // No stack trace: rejections are answers, not bugs, and a 429 storm should stay cheap.
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.type = type;
        this.code = code;
    }

    static SpendRejection suspended(String key) {
        return new SpendRejection(403, "permission_error", "spend_key_suspended",
                "Spend key '" + key + "' is suspended.");
    }

    static SpendRejection expired(String key, Instant expiresAt) {
        return new SpendRejection(401, "authentication_error", "spend_key_expired",
                "Spend key '" + key + "' expired at " + expiresAt + ".");
    }

    /** As for a token no key has: the key left the configuration while the request was on its way in. */
    static SpendRejection removed(String key) {
        return new SpendRejection(401, "authentication_error", "invalid_api_key", "Spend key '" + key + "' was removed.");
    }

    static SpendRejection modelNotAllowed(String key, String model) {
        return new SpendRejection(403, "permission_error", "model_not_allowed",
                "Spend key '" + key + "' may not use model '" + model + "'.");
    }

    /**
     * @param keyRemainingMicros what the key has left (with the operator: as its last answer said)
     * @param podRemainingMicros what this pod may still reserve without asking the operator; named only when it
     *                           differs from the key's, so a pod's short lease is never shown as the key's budget
     */
    static SpendRejection budgetExceeded(String key, BudgetPeriod period, long limitMicros, long keyRemainingMicros,
                                         long podRemainingMicros, long worstCaseMicros) {
        String pod = podRemainingMicros == keyRemainingMicros ? ""
                : ", of which this pod may spend $" + Money.formatUsd(podRemainingMicros) + " without asking the operator";
        return new SpendRejection(429, "insufficient_quota", "budget_exceeded",
                "Spend key '" + key + "' has $" + Money.formatUsd(keyRemainingMicros) + " left of its "
                        + period.wireName() + " budget of $" + Money.formatUsd(limitMicros) + pod
                        + "; this request may cost up to $" + Money.formatUsd(worstCaseMicros) + ".");
    }

    static SpendRejection rateLimited(String key, long perMinute, String unit) {
        return new SpendRejection(429, "rate_limit_error", "rate_limited",
                "Spend key '" + key + "' exceeded its rate limit of " + perMinute + " " + unit
                        + " per minute; retry later.");
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }
}
