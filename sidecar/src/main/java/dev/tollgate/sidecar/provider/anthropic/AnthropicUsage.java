package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;

/**
 * Anthropic's usage block, read and written. Anthropic's {@code input_tokens} already excludes
 * cache reads and writes, so its fields are our buckets as they are.
 */
public final class AnthropicUsage {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AnthropicUsage() {
    }

    /** The usage, or null when the block is absent. */
    public static Usage of(JsonNode usage) {
        return merge(null, usage);
    }

    /**
     * {@code base} updated by the fields {@code usage} carries: a stream's message_delta repeats
     * some of message_start's counts (cumulative, so the latest wins) and adds the output.
     */
    static Usage merge(Usage base, JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return base;
        }
        Usage from = base == null ? Usage.NONE : base;
        return new Usage(
                count(usage, "input_tokens", from.input()),
                count(usage, "cache_read_input_tokens", from.cachedInput()),
                count(usage, "cache_creation_input_tokens", from.cacheWrite()),
                count(usage, "output_tokens", from.output()),
                0);
    }

    private static long count(JsonNode usage, String field, long otherwise) {
        JsonNode value = usage.get(field);
        return value != null && value.isIntegralNumber() ? value.longValue() : otherwise;
    }

    /** Our buckets as Anthropic's usage block; thinking is output there, so reasoning tokens join output. */
    static ObjectNode toAnthropic(Usage usage) {
        return JSON.objectNode()
                .put("input_tokens", usage.input())
                .put("cache_creation_input_tokens", usage.cacheWrite())
                .put("cache_read_input_tokens", usage.cachedInput())
                .put("output_tokens", usage.totalOutput());
    }
}
