package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.api.MessagesRequest;
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
 * Anthropic's Messages API passed through: the client's body goes up as it is but for the model,
 * and the answer and events come back as the provider sent them, read for usage on the way.
 */
final class AnthropicMessages implements ApiAdapter<MessagesRequest> {
    private final AnthropicEndpoint endpoint;

    AnthropicMessages(AnthropicEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public UpstreamRequest request(MessagesRequest request, String upstreamModel, ProviderConfig provider) {
        return MessagesUpstream.request(endpoint, provider, upstreamModel, request.body().deepCopy(), request.stream(),
                request.anthropicBeta());
    }

    @Override
    public TranslatedAnswer answer(byte[] body, MessagesRequest request) {
        JsonNode message = UpstreamJson.parseObject(body);
        if (!"message".equals(message.path("type").asText())) {
            throw new InvalidUpstreamResponse("the provider's answer is not an Anthropic message");
        }
        Usage usage = AnthropicUsage.of(message.get("usage"));
        StringBuilder text = new StringBuilder();
        if (usage == null) {
            message.path("content").forEach(block -> text.append(block.path("text").asText("")));
        }
        return new TranslatedAnswer(body, usage, message.path("model").textValue(), text,
                FinishReasons.of(message.path("stop_reason").textValue()));
    }

    @Override
    public StreamTranslator stream(MessagesRequest request) {
        return new MessageEventsPassThrough();
    }
}
