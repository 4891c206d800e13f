package dev.tollgate.sidecar.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.UpstreamJson;

/**
 * OpenAI's usage blocks: chat completions (and embeddings, which report only prompt tokens) with
 * DeepSeek's cache-hit field, and the Responses API's. Both count cached input inside input and
 * (but for xAI's, told by their total) reasoning inside output; {@link Usage#fromOpenAi} splits them into disjoint buckets, and
 * {@link #toChatJson} writes the buckets back as a chat block for answers translated from other APIs.
 */
public final class OpenAiUsage {
    private OpenAiUsage() {
    }

    /** A chat-completions or embeddings usage block, or null when absent. */
    public static Usage of(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(
                usage.path("prompt_cache_hit_tokens").asLong(0));
        return Usage.fromOpenAi(usage.path("prompt_tokens").asLong(0), cached,
                usage.path("completion_tokens").asLong(0),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0),
                usage.path("total_tokens").asLong(0));
    }

    /** A Responses API usage block ({@code input_tokens}, {@code output_tokens} and their details), or null when absent. */
    public static Usage ofResponse(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        return Usage.fromOpenAi(usage.path("input_tokens").asLong(0),
                usage.path("input_tokens_details").path("cached_tokens").asLong(0),
                usage.path("output_tokens").asLong(0),
                usage.path("output_tokens_details").path("reasoning_tokens").asLong(0),
                usage.path("total_tokens").asLong(0));
    }

    /** Our buckets as a chat-completions usage block, whose prompt and completion counts are inclusive. */
    public static ObjectNode toChatJson(Usage usage) {
        ObjectNode json = UpstreamJson.MAPPER.createObjectNode()
                .put("prompt_tokens", usage.totalInput())
                .put("completion_tokens", usage.totalOutput())
                .put("total_tokens", usage.total());
        json.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInput());
        json.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoning());
        return json;
    }
}
