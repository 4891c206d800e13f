package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.api.ClientRequest;
import dev.tollgate.sidecar.config.ProviderConfig;

/**
 * One client API (chat completions, Anthropic messages, embeddings, responses) as one provider
 * family serves it: builds the upstream request and translates the answer and the stream back
 * into the client API's schema, reading the usage on the way.
 */
public interface ApiAdapter<R extends ClientRequest> {
    UpstreamRequest request(R request, String upstreamModel, ProviderConfig provider);

    /** The exchange that serves the request: one call of {@link #request}, unless the provider needs several. */
    default UpstreamExchange open(UpstreamTransport transport, R request, String upstreamModel, ProviderConfig provider) {
        return transport.open(request(request, upstreamModel, provider));
    }

    /** A complete answer; throws {@link InvalidUpstreamResponse} when the provider's body makes no sense. */
    TranslatedAnswer answer(byte[] body, R request);

    /** A fresh, stateful translator for one streamed answer. */
    default StreamTranslator stream(R request) {
        throw new IllegalStateException("this API has no streaming form");
    }
}
