package dev.tollgate.sidecar.config;

/**
 * Behaviour of the built-in {@code mock} provider, so failover and load can be shown without
 * spending money. Durations in milliseconds.
 *
 * @param latencyMs        delay before the first byte of the answer
 * @param chunkDelayMs     delay between streamed chunks
 * @param tokensPerChunk   tokens of content per streamed chunk
 * @param failStatus       when set, every request fails with this HTTP status
 * @param cutAfterChunks   when set, a stream is cut (connection dropped) after this many chunks
 * @param reply            the answer text; by default a deterministic sentence built from the prompt
 */
public record MockConfig(
        long latencyMs,
        long chunkDelayMs,
        int tokensPerChunk,
        Integer failStatus,
        Integer cutAfterChunks,
        String reply) {

    public MockConfig {
        tokensPerChunk = tokensPerChunk <= 0 ? 1 : tokensPerChunk;
    }

    public static MockConfig defaults() {
        return new MockConfig(0, 0, 1, null, null, null);
    }
}
