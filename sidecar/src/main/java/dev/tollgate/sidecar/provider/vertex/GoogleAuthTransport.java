package dev.tollgate.sidecar.provider.vertex;

import dev.tollgate.sidecar.provider.PendingCall;
import dev.tollgate.sidecar.provider.UpstreamCall;
import dev.tollgate.sidecar.provider.UpstreamHandler;
import dev.tollgate.sidecar.provider.UpstreamHead;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.UpstreamTransport;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Sends a provider's requests with the service account's access token as a bearer token. A cached
 * token is attached at once; otherwise the request goes out when the token exchange completes (no
 * thread waits for it), so the attempt's timeouts cover the exchange too. A failed exchange is
 * answered as a 502 in Google's error shape naming the provider: the route fails over as for any
 * server error.
 */
final class GoogleAuthTransport implements UpstreamTransport {
    private final UpstreamTransport http;
    private final AccessTokens tokens;
    private final String providerId;

    GoogleAuthTransport(UpstreamTransport http, AccessTokens tokens, String providerId) {
        this.http = http;
        this.tokens = tokens;
        this.providerId = providerId;
    }

    @Override
    public UpstreamCall send(UpstreamRequest request, UpstreamHandler handler) {
        AuthorizedCall call = new AuthorizedCall(request, handler);
        tokens.get().whenComplete(call::tokenReady);
        return call.sending;
    }

    /** The request once its token is there; until then pause and cancel are remembered by {@link #sending}. */
    private final class AuthorizedCall {
        private final UpstreamRequest request;
        private final UpstreamHandler handler;
        private final PendingCall sending = new PendingCall();

        AuthorizedCall(UpstreamRequest request, UpstreamHandler handler) {
            this.request = request;
            this.handler = handler;
        }

        void tokenReady(String token, Throwable failure) {
            if (sending.cancelled()) {
                return;
            }
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                answerLocally(cause instanceof TokenExchangeFailed ? cause.getMessage() : "the token endpoint could not be reached");
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>(request.headers());
            headers.put("Authorization", "Bearer " + token);
            sending.set(http.send(new UpstreamRequest(request.uri(), headers, request.body()), handler));
        }

        private void answerLocally(String why) {
            String message = "provider '" + providerId + "' could not get an access token for its service account: " + why;
            var body = UpstreamJson.MAPPER.createObjectNode();
            body.putObject("error").put("code", 502).put("message", message).put("status", "UNAVAILABLE");
            handler.onHead(new UpstreamHead(502, Map.of("content-type", "application/json")));
            handler.onData(ByteBuffer.wrap(UpstreamJson.toBytes(body)));
            handler.onEnd();
        }
    }
}
