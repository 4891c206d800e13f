package dev.tollgate.sidecar.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.UpstreamJson;

/** A {@link Usage} as OpenAI's chat-completions usage block, whose prompt and completion counts are inclusive. */
final class ChatUsageJson {
    private ChatUsageJson() {
    }

    static ObjectNode of(Usage usage) {
        ObjectNode json = UpstreamJson.MAPPER.createObjectNode()
                .put("prompt_tokens", usage.totalInput())
                .put("completion_tokens", usage.totalOutput())
                .put("total_tokens", usage.total());
        json.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInput());
        json.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoning());
        return json;
    }
}
