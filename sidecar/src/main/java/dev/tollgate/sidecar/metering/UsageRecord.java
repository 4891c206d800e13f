package dev.tollgate.sidecar.metering;

import java.time.Instant;
import java.util.Objects;

/**
 * One usage line per request (JSON Lines). Never prompts, completions or keys.
 *
 * @param model        the model the caller asked for
 * @param upstreamModel the model the chosen backend was asked for
 * @param provider     the ProviderSecret as {@code namespace/name}
 * @param spendKey     the SpendKey's name, never its token
 * @param feature      the {@code x-tollgate-feature} header
 * @param user         the end user ({@code x-tollgate-user} or the body's {@code user})
 * @param costMicros   0 when {@code priced} is false
 * @param ttftMs       time to first token; null when no token arrived
 * @param error        a short error code or message for a failed request; null on success
 */
public record UsageRecord(Instant time, String requestId, String namespace, String pod, String workload,
        String route, String model, String upstreamModel, String provider, String providerType,
        String spendKey, String feature, String user, Usage tokens, long costMicros, boolean priced,
        long latencyMs, Long ttftMs, int attempts, int status, boolean streamed, String error) {

    public UsageRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(tokens, "tokens");
    }
}
