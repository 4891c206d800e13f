package dev.tollgate.sidecar.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.FinishReasons;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;

/**
 * Chat completions to an OpenAI-type provider: the request and answer pass through unchanged but
 * for the model name and what the provider's {@link ChatDialect} asks (the usage chunk, for OpenAI).
 */
final class OpenAiChat implements ApiAdapter<ChatRequest> {
    private final OpenAiEndpoints endpoints;

    OpenAiChat(OpenAiEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public UpstreamRequest request(ChatRequest request, String upstreamModel, ProviderConfig provider) {
        ObjectNode body = request.body().deepCopy();
        ChatDialect.of(provider).adapt(body, request.stream());
        return endpoints.request(OpenAiApi.CHAT, body, upstreamModel, provider, request.stream());
    }

    @Override
    public TranslatedAnswer answer(byte[] body, ChatRequest request) {
        JsonNode tree = UpstreamJson.parseObject(body);
        if (!tree.has("choices")) {
            throw new InvalidUpstreamResponse("the provider's answer has no 'choices'");
        }
        Usage usage = OpenAiUsage.of(tree.get("usage"));
        StringBuilder text = new StringBuilder();
        if (usage == null) {
            for (JsonNode choice : tree.get("choices")) {
                text.append(choice.path("message").path("content").asText(""));
            }
        }
        return new TranslatedAnswer(body, usage, tree.path("model").textValue(), text,
                FinishReasons.of(tree.get("choices"), "finish_reason"));
    }

    @Override
    public StreamTranslator stream(ChatRequest request) {
        return new ChatChunkPassThrough(request.clientWantsUsage());
    }
}
