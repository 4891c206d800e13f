package dev.tollgate.sidecar.metering;

import dev.tollgate.sidecar.config.ModelPrice;

/**
 * Cost in micro-dollars from token counts and a price in micro-dollars per one million tokens.
 * Integer arithmetic only: a bill that would overflow throws instead of billing a wrong amount; a
 * worst case (an upper bound, from what a client asks for) saturates at {@link Long#MAX_VALUE}, which
 * no budget can cover.
 */
public final class CostCalculator {
    private static final long TOKENS_PER_RATE = 1_000_000L;

    private CostCalculator() {
    }

    /** Σ tokens × rate / 1e6 over the usage buckets, rounded half-up once on the total. */
    public static long costMicros(Usage usage, ModelPrice price) {
        long scaled = 0;
        scaled = Math.addExact(scaled, term("input", usage.input(), price.input()));
        scaled = Math.addExact(scaled, term("cachedInput", usage.cachedInput(), price.cachedInputRate()));
        scaled = Math.addExact(scaled, term("cacheWrite", usage.cacheWrite(), price.cacheWriteRate()));
        scaled = Math.addExact(scaled, term("output", usage.output(), price.output()));
        scaled = Math.addExact(scaled, term("reasoning", usage.reasoning(), price.reasoningRate()));
        return Math.addExact(scaled, TOKENS_PER_RATE / 2) / TOKENS_PER_RATE;
    }

    /**
     * The most a request can cost: every input token at the dearest input-side rate (input, cached,
     * cache write) and every output token at the dearer of output and reasoning, rounded up; so it
     * is never below {@link #costMicros} for a usage within those token counts. Saturates rather than overflows.
     */
    public static long worstCaseMicros(ModelPrice price, long inputTokens, long maxOutputTokens) {
        long inputRate = Math.max(price.input(), Math.max(price.cachedInputRate(), price.cacheWriteRate()));
        long outputRate = Math.max(price.output(), price.reasoningRate());
        checked("input", inputTokens, inputRate);
        checked("output", maxOutputTokens, outputRate);
        long scaled = Money.saturatedAdd(Money.saturatedMultiply(inputTokens, inputRate),
                Money.saturatedMultiply(maxOutputTokens, outputRate));
        if (scaled == Long.MAX_VALUE) {
            return Long.MAX_VALUE; // saturated: stays a bound no budget covers
        }
        return scaled / TOKENS_PER_RATE + (scaled % TOKENS_PER_RATE == 0 ? 0 : 1);
    }

    private static long term(String bucket, long tokens, long ratePerMillion) {
        checked(bucket, tokens, ratePerMillion);
        return Math.multiplyExact(tokens, ratePerMillion);
    }

    private static void checked(String bucket, long tokens, long ratePerMillion) {
        if (tokens < 0) {
            throw new IllegalArgumentException(bucket + " tokens must be >= 0, got " + tokens);
        }
        if (ratePerMillion < 0) {
            throw new IllegalArgumentException(bucket + " price must be >= 0, got " + ratePerMillion);
        }
    }
}
