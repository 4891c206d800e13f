package dev.tollgate.sidecar.provider.anthropic;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamRequest;

/** OpenAI chat completions served by Claude: the request, the answer and the stream translated both ways. */
final class AnthropicChat implements ApiAdapter<ChatRequest> {
    private final AnthropicEndpoint endpoint;

    AnthropicChat(AnthropicEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public UpstreamRequest request(ChatRequest request, String upstreamModel, ProviderConfig provider) {
        return MessagesUpstream.request(endpoint, provider, upstreamModel, ChatToMessages.body(request), request.stream(), null);
    }

    @Override
    public TranslatedAnswer answer(byte[] body, ChatRequest request) {
        return MessageToChatCompletion.translate(body);
    }

    @Override
    public StreamTranslator stream(ChatRequest request) {
        return new MessagesToChatChunks(request.clientWantsUsage());
    }
}
