package dev.tollgate.sidecar.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.metering.Usage;

/**
 * Gemini's {@code usageMetadata} in disjoint buckets. Per Google's GenerateContentResponse
 * reference (ai.google.dev/api/generate-content#UsageMetadata): {@code promptTokenCount} "includes
 * the number of tokens in the cached content" ({@code cachedContentTokenCount}); {@code totalTokenCount}
 * is "the sum of prompt_token_count, candidates_token_count, tool_use_prompt_token_count and
 * thoughts_token_count", so candidates exclude thoughts, and tool-use prompt tokens (search or code
 * results fed back to the model) are input not counted in the prompt.
 */
public final class GeminiUsage {
    private GeminiUsage() {
    }

    /** The usage, or null when the block is absent or carries no counts yet (early stream chunks). */
    public static Usage of(JsonNode usageMetadata) {
        if (usageMetadata == null || !usageMetadata.has("promptTokenCount")) {
            return null;
        }
        long prompt = usageMetadata.path("promptTokenCount").asLong(0);
        long cached = usageMetadata.path("cachedContentTokenCount").asLong(0);
        long toolUse = usageMetadata.path("toolUsePromptTokenCount").asLong(0);
        return new Usage(Math.max(0, prompt - cached) + toolUse, cached, 0,
                usageMetadata.path("candidatesTokenCount").asLong(0), usageMetadata.path("thoughtsTokenCount").asLong(0));
    }
}
