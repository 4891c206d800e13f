package dev.tollgate.sidecar.metering;

/**
 * Tokens of one request in disjoint buckets, so each is priced once and totals are plain sums:
 * {@code input} excludes cached and cache-write tokens; {@code output} excludes reasoning tokens.
 */
public record Usage(long input, long cachedInput, long cacheWrite, long output, long reasoning) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    /**
     * From an OpenAI-style usage block: prompt_tokens includes cached. OpenAI's completion_tokens
     * includes reasoning; xAI's does not (its total_tokens is prompt + completion + reasoning), and
     * the block names no convention, so the total tells: when it is that sum with reasoning tokens,
     * completion excludes them. {@code totalTokens} 0 (absent) means OpenAI's convention.
     */
    public static Usage fromOpenAi(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens,
                                   long totalTokens) {
        boolean reasoningOutsideCompletion = reasoningTokens > 0
                && totalTokens == promptTokens + completionTokens + reasoningTokens;
        long answer = reasoningOutsideCompletion ? completionTokens : completionTokens - reasoningTokens;
        return new Usage(Math.max(0, promptTokens - cachedTokens), cachedTokens, 0, Math.max(0, answer), reasoningTokens);
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
