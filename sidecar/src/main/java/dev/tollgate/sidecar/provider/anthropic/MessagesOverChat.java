package dev.tollgate.sidecar.provider.anthropic;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.MessagesRequest;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamRequest;

/**
 * Anthropic's {@code /v1/messages} served by a backend that speaks only chat: the request becomes a
 * chat request, which the family's own chat adapter sends and translates; its chat answer and chunks
 * then become an Anthropic message and events. So it works for every family.
 */
public final class MessagesOverChat implements ApiAdapter<MessagesRequest> {
    private final ApiAdapter<ChatRequest> chat;

    public MessagesOverChat(ApiAdapter<ChatRequest> chat) {
        this.chat = chat;
    }

    @Override
    public UpstreamRequest request(MessagesRequest request, String upstreamModel, ProviderConfig provider) {
        return chat.request(MessagesToChat.request(request), upstreamModel, provider);
    }

    @Override
    public TranslatedAnswer answer(byte[] body, MessagesRequest request) {
        return ChatCompletionToMessage.translate(chat.answer(body, MessagesToChat.answering(request)));
    }

    @Override
    public StreamTranslator stream(MessagesRequest request) {
        return new ChatChunksToMessageEvents(chat.stream(MessagesToChat.answering(request)));
    }
}
