package dev.tollgate.sidecar.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.metering.Usage;

/** OpenAI's chat-completions usage block, including DeepSeek's cache-hit field. */
public final class OpenAiUsage {
    private OpenAiUsage() {
    }

    /** The usage, or null when the block is absent. */
    public static Usage of(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(
                usage.path("prompt_cache_hit_tokens").asLong(0));
        return Usage.fromOpenAi(usage.path("prompt_tokens").asLong(0), cached,
                usage.path("completion_tokens").asLong(0),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    }
}
