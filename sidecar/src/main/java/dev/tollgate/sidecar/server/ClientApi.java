package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.ClientRequest;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.api.MessagesRequest;
import dev.tollgate.sidecar.api.ResponsesRequest;
import dev.tollgate.sidecar.provider.anthropic.MessagesOverChat;
import dev.tollgate.sidecar.routing.ApiSelector;
import io.undertow.util.HeaderMap;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One client API the sidecar serves: its path, how its requests parse (the body, and the few
 * headers an API carries meaning in), which adapter serves it on a backend, and the shape its errors take.
 * {@code operation} is its OpenTelemetry GenAI operation name, for its spans.
 */
record ClientApi<R extends ClientRequest>(String path, String operation, BiFunction<byte[], HeaderMap, R> parser, ApiSelector<R> selector,
                                          ErrorFormat errors) {

    static final ClientApi<ChatRequest> CHAT = new ClientApi<>("/v1/chat/completions", "chat", (body, headers) -> ChatRequest.parse(body),
            (family, model) -> Optional.of(family.chat(model)), ErrorFormat.OPENAI);

    /** Passed through to backends that speak it natively (Anthropic), translated to chat for the rest. */
    static final ClientApi<MessagesRequest> MESSAGES = new ClientApi<>("/v1/messages", "chat",
            (body, headers) -> MessagesRequest.parse(body).withAnthropicBeta(headers.getFirst("anthropic-beta")),
            (family, model) -> family.messages(model).or(() -> Optional.of(new MessagesOverChat(family.chat(model)))),
            ErrorFormat.ANTHROPIC);

    static final ClientApi<EmbeddingsRequest> EMBEDDINGS = new ClientApi<>("/v1/embeddings", "embeddings", (body, headers) -> EmbeddingsRequest.parse(body),
            (family, model) -> family.embeddings(model), ErrorFormat.OPENAI);

    static final ClientApi<ResponsesRequest> RESPONSES = new ClientApi<>("/v1/responses", "chat", (body, headers) -> ResponsesRequest.parse(body),
            (family, model) -> family.responses(model), ErrorFormat.OPENAI_RESPONSES);
}
