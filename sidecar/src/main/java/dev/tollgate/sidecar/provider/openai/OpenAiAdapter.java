package dev.tollgate.sidecar.provider.openai;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.ChatRequest;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.ProviderAdapter;
import dev.tollgate.sidecar.provider.RetryAfter;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.util.Optional;

/** OpenAI's API family, spoken by OpenAI and every OpenAI-compatible provider. */
public final class OpenAiAdapter implements ProviderAdapter {
    private final OpenAiChat chat = new OpenAiChat();

    @Override
    public ApiAdapter<ChatRequest> chat() {
        return chat;
    }

    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        if (status == 401 || status == 403) {
            return new UpstreamFailure(FailureClass.SERVER_ERROR, status, null,
                    "provider '" + provider.id() + "' rejected the gateway's credentials (upstream status " + status + ")");
        }
        String detail = Secrets.scrub(UpstreamJson.textAt(body, "/error/message"), provider);
        FailureClass kind = status == 429 ? FailureClass.RATE_LIMITED
                : status == 408 ? FailureClass.TIMEOUT
                : status >= 500 ? FailureClass.SERVER_ERROR
                : FailureClass.CLIENT_ERROR;
        return new UpstreamFailure(kind, status, RetryAfter.toMillis(retryAfter),
                detail == null ? "upstream status " + status : detail);
    }
}
