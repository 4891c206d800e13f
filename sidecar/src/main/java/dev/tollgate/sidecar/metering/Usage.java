package dev.tollgate.sidecar.metering;

/**
 * Tokens of one request in disjoint buckets, so each is priced once and totals are plain sums:
 * {@code input} excludes cached and cache-write tokens; {@code output} excludes reasoning tokens.
 */
public record Usage(long input, long cachedInput, long cacheWrite, long output, long reasoning) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    /** From OpenAI's usage block: prompt_tokens includes cached, completion_tokens includes reasoning. */
    public static Usage fromOpenAi(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens) {
        return new Usage(Math.max(0, promptTokens - cachedTokens), cachedTokens,
                0, Math.max(0, completionTokens - reasoningTokens), reasoningTokens);
    }

    public long totalInput() {
        return input + cachedInput + cacheWrite;
    }

    public long totalOutput() {
        return output + reasoning;
    }

    public long total() {
        return totalInput() + totalOutput();
    }
}
