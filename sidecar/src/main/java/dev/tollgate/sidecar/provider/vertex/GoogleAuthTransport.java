package dev.tollgate.sidecar.provider.vertex;

import dev.tollgate.sidecar.provider.UpstreamExchange;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.UpstreamResponse;
import dev.tollgate.sidecar.provider.UpstreamTransport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a provider's requests with the service account's access token as a bearer token. The
 * token is fetched inside {@link UpstreamExchange#send()}, so the request's timeouts cover the
 * exchange too. A failed exchange is answered as a 502 in Google's error shape naming the provider:
 * the route fails over as for any server error.
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
    public UpstreamExchange open(UpstreamRequest request) {
        return new AuthorizedExchange(request);
    }

    private final class AuthorizedExchange implements UpstreamExchange {
        private final UpstreamRequest request;
        private final CompletableFuture<Void> aborted = new CompletableFuture<>();
        private volatile UpstreamExchange sending;

        AuthorizedExchange(UpstreamRequest request) {
            this.request = request;
        }

        @Override
        public UpstreamResponse send() throws IOException {
            String token;
            try {
                token = tokens.get(aborted);
            } catch (TokenExchangeFailed e) {
                return tokenFailure(e.getMessage());
            } catch (IOException e) {
                if (aborted.isDone()) {
                    throw e;
                }
                return tokenFailure("the token endpoint could not be reached");
            }
            Map<String, String> headers = new LinkedHashMap<>(request.headers());
            headers.put("Authorization", "Bearer " + token);
            sending = http.open(new UpstreamRequest(request.uri(), headers, request.body()));
            if (aborted.isDone()) {
                throw new IOException("aborted");
            }
            return sending.send();
        }

        @Override
        public void abort() {
            aborted.complete(null);
            UpstreamExchange started = sending;
            if (started != null) {
                started.abort();
            }
        }

        private UpstreamResponse tokenFailure(String why) {
            String message = "provider '" + providerId + "' could not get an access token for its service account: " + why;
            var body = UpstreamJson.MAPPER.createObjectNode();
            body.putObject("error").put("code", 502).put("message", message).put("status", "UNAVAILABLE");
            return new LocalAnswer(502, UpstreamJson.toBytes(body));
        }
    }

    /** An answer made here rather than by the provider: the failed token exchange. */
    private record LocalAnswer(int status, byte[] json) implements UpstreamResponse {
        @Override
        public Optional<String> header(String name) {
            return name.equalsIgnoreCase("content-type") ? Optional.of("application/json") : Optional.empty();
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(json);
        }

        @Override
        public void close() {
            // Nothing was opened.
        }
    }
}
