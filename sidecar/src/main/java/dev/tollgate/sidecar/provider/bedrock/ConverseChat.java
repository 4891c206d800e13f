package dev.tollgate.sidecar.provider.bedrock;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamRequest;

/** Chat completions served by Bedrock's Converse ({@code /converse}) and ConverseStream ({@code /converse-stream}). */
final class ConverseChat implements ApiAdapter<ChatRequest> {
    private final BedrockRequests requests;

    ConverseChat(BedrockRequests requests) {
        this.requests = requests;
    }

    @Override
    public UpstreamRequest request(ChatRequest request, String upstreamModel, ProviderConfig provider) {
        return request.stream()
                ? requests.post(provider, upstreamModel, "converse-stream", ChatToConverse.translate(request),
                        "application/vnd.amazon.eventstream")
                : requests.post(provider, upstreamModel, "converse", ChatToConverse.translate(request), "application/json");
    }

    @Override
    public TranslatedAnswer answer(byte[] body, ChatRequest request) {
        return ConverseAnswer.translate(body, request);
    }

    @Override
    public StreamTranslator stream(ChatRequest request) {
        return new ConverseStreamTranslator(request.model(), request.clientWantsUsage());
    }
}
