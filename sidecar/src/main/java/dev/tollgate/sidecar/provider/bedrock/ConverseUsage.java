package dev.tollgate.sidecar.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.UpstreamJson;

/**
 * Bedrock's {@code TokenUsage} ({@code inputTokens, outputTokens, totalTokens, cacheReadInputTokens,
 * cacheWriteInputTokens}) and its OpenAI form. Bedrock's {@code inputTokens} excludes the cache
 * read and cache write tokens, which {@code totalTokens} does count, so the buckets are already
 * disjoint. Some models report {@code inputTokens} with the cache tokens in it; their
 * {@code totalTokens} is then just input + output, which tells the two apart. Reasoning is not
 * reported apart and stays in {@code outputTokens}.
 */
final class ConverseUsage {
    private ConverseUsage() {
    }

    /** The usage, or null when the block is absent. */
    static Usage of(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long input = usage.path("inputTokens").asLong(0);
        long output = usage.path("outputTokens").asLong(0);
        long cacheRead = usage.path("cacheReadInputTokens").asLong(0);
        long cacheWrite = usage.path("cacheWriteInputTokens").asLong(0);
        long cached = cacheRead + cacheWrite;
        boolean inputIncludesCache = cached > 0 && input >= cached
                && usage.path("totalTokens").asLong(-1) == input + output;
        return new Usage(inputIncludesCache ? input - cached : input, cacheRead, cacheWrite, output, 0);
    }

    /** OpenAI's usage block: prompt_tokens counts every input token, cached ones included. */
    static ObjectNode toOpenAi(Usage usage) {
        ObjectNode node = UpstreamJson.MAPPER.createObjectNode();
        node.put("prompt_tokens", usage.totalInput());
        node.put("completion_tokens", usage.totalOutput());
        node.put("total_tokens", usage.total());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInput());
        return node;
    }
}
