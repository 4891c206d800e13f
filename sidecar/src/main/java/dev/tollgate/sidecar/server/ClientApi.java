package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.provider.ChatRequest;
import dev.tollgate.sidecar.provider.ClientRequest;
import dev.tollgate.sidecar.provider.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.MessagesRequest;
import dev.tollgate.sidecar.provider.ResponsesRequest;
import dev.tollgate.sidecar.provider.anthropic.MessagesOverChat;
import dev.tollgate.sidecar.routing.ApiSelector;
import java.util.Optional;
import java.util.function.Function;

/**
 * One client API the sidecar serves: its path, how its requests parse, which adapter serves it
 * on a backend, and the shape its errors take.
 */
record ClientApi<R extends ClientRequest>(String path, Function<byte[], R> parser, ApiSelector<R> selector,
                                          ErrorFormat errors) {

    static final ClientApi<ChatRequest> CHAT = new ClientApi<>("/v1/chat/completions", ChatRequest::parse,
            (family, model) -> Optional.of(family.chat(model)), ErrorFormat.OPENAI);

    /** Passed through to backends that speak it natively (Anthropic), translated to chat for the rest. */
    static final ClientApi<MessagesRequest> MESSAGES = new ClientApi<>("/v1/messages", MessagesRequest::parse,
            (family, model) -> family.messages(model).or(() -> Optional.of(new MessagesOverChat(family.chat(model)))),
            ErrorFormat.ANTHROPIC);

    static final ClientApi<EmbeddingsRequest> EMBEDDINGS = new ClientApi<>("/v1/embeddings", EmbeddingsRequest::parse,
            (family, model) -> family.embeddings(model), ErrorFormat.OPENAI);

    static final ClientApi<ResponsesRequest> RESPONSES = new ClientApi<>("/v1/responses", ResponsesRequest::parse,
            (family, model) -> family.responses(model), ErrorFormat.OPENAI_RESPONSES);
}
