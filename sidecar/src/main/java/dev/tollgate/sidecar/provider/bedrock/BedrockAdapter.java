package dev.tollgate.sidecar.provider.bedrock;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.EventParser;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import dev.tollgate.sidecar.provider.RetryAfter;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.StatusFailures;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.time.Clock;
import java.util.Optional;

/**
 * Amazon Bedrock's runtime API: chat through Converse/ConverseStream (binary event stream),
 * embeddings through Titan Text Embeddings, SigV4 or Bedrock API key authentication.
 */
public final class BedrockAdapter implements ProviderAdapter {
    private final ConverseChat chat;
    private final TitanEmbeddings embeddings;

    /** {@code clock} dates the SigV4 signatures. */
    public BedrockAdapter(Clock clock) {
        BedrockRequests requests = new BedrockRequests(clock);
        this.chat = new ConverseChat(requests);
        this.embeddings = new TitanEmbeddings(requests);
    }

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return chat;
    }

    @Override
    public Optional<ApiAdapter<EmbeddingsRequest>> embeddings(String upstreamModel) {
        return TitanEmbeddings.serves(upstreamModel) ? Optional.of(embeddings) : Optional.empty();
    }

    /**
     * Bedrock's error statuses are one per exception type (x-amzn-ErrorType): ThrottlingException
     * and ModelNotReadyException 429, ModelTimeoutException 408, ModelErrorException 424,
     * InternalServerException 500, ServiceUnavailableException 503 are worth another try;
     * AccessDenied/UnrecognizedClient 403 mean the gateway's credentials are wrong; the other
     * 4xx (ValidationException 400, ResourceNotFoundException 404, ...) are the request's fault.
     */
    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        if (status == 401 || status == 403) {
            return StatusFailures.credentials(status, provider, "rejected the gateway's AWS credentials");
        }
        String detail = UpstreamJson.textAt(body, "/message");
        detail = Secrets.scrub(detail != null ? detail : UpstreamJson.textAt(body, "/Message"), provider);
        Long wait = RetryAfter.toMillis(retryAfter);
        return status == 424 ? StatusFailures.of(FailureClass.SERVER_ERROR, status, wait, detail)
                : StatusFailures.classify(status, wait, detail, provider);
    }

    @Override
    public EventParser events() {
        return new EventStreamParser();
    }
}
