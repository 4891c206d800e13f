package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.config.ProviderConfig;
import java.util.Optional;

/**
 * One provider API family. The gateway speaks OpenAI's chat schema to clients; an adapter
 * translates a request into the provider's API and the provider's answers, streams and errors back.
 */
public interface ProviderAdapter {
    UpstreamRequest chatRequest(ChatRequest request, String upstreamModel, ProviderConfig provider);

    ChatAnswer chatAnswer(byte[] body);

    StreamTranslator streamTranslator(ChatRequest request);

    /** Classifies a non-2xx answer; the message must be safe to show the client. */
    UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider);
}
