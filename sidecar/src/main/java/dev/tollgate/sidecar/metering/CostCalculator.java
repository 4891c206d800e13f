package dev.tollgate.sidecar.metering;

import dev.tollgate.sidecar.config.ModelPrice;

/**
 * Cost in micro-dollars from token counts and a price in micro-dollars per one million tokens.
 * Integer arithmetic only; an overflow throws instead of billing a wrong amount.
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
     * is never below {@link #costMicros} for a usage within those token counts.
     */
    public static long worstCaseMicros(ModelPrice price, long inputTokens, long maxOutputTokens) {
        long inputRate = Math.max(price.input(), Math.max(price.cachedInputRate(), price.cacheWriteRate()));
        long outputRate = Math.max(price.output(), price.reasoningRate());
        long scaled = Math.addExact(term("input", inputTokens, inputRate), term("output", maxOutputTokens, outputRate));
        return Math.addExact(scaled, TOKENS_PER_RATE - 1) / TOKENS_PER_RATE;
    }

    private static long term(String bucket, long tokens, long ratePerMillion) {
        if (tokens < 0) {
            throw new IllegalArgumentException(bucket + " tokens must be >= 0, got " + tokens);
        }
        if (ratePerMillion < 0) {
            throw new IllegalArgumentException(bucket + " price must be >= 0, got " + ratePerMillion);
        }
        return Math.multiplyExact(tokens, ratePerMillion);
    }
}
