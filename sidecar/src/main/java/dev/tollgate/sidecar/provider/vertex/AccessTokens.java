package dev.tollgate.sidecar.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.provider.BoundedBody;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.UpstreamHandler;
import dev.tollgate.sidecar.provider.UpstreamHead;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.UpstreamTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One service account's OAuth access token: exchanged for a signed JWT at the account's token URI,
 * cached, and refreshed before it expires (5 minutes early, or half its lifetime if that is shorter).
 * Concurrent requests share one exchange; while it runs, a token that has not expired yet is still used.
 */
final class AccessTokens {
    private static final Duration EARLY = Duration.ofMinutes(5);
    private static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final int MAX_ANSWER = 64 * 1024;

    private final ServiceAccountKey key;
    private final List<String> secrets;
    private final UpstreamTransport http;
    private final InstantSource clock;
    private Token current;
    private CompletableFuture<Token> refresh;

    AccessTokens(ServiceAccountKey key, List<String> secrets, UpstreamTransport http, InstantSource clock) {
        this.key = key;
        this.secrets = secrets;
        this.http = http;
        this.clock = clock;
    }

    private record Token(String value, Instant refreshAt, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * A valid access token: at once when one is cached, else when the exchange (shared by every caller
     * waiting for it) completes. Fails with {@link TokenExchangeFailed}, or an IOException when the
     * token endpoint could not be reached.
     */
    CompletableFuture<String> get() {
        CompletableFuture<Token> pending;
        boolean exchanging = false;
        synchronized (this) {
            Instant now = clock.instant();
            if (current != null && (now.isBefore(current.refreshAt()) || refresh != null && now.isBefore(current.expiresAt()))) {
                return CompletableFuture.completedFuture(current.value());
            }
            if (refresh == null) {
                refresh = new CompletableFuture<>();
                exchanging = true;
            }
            pending = refresh;
        }
        if (exchanging) {
            exchange(pending);
        }
        return pending.handle((token, failure) -> {
            if (failure == null) {
                return token.value();
            }
            synchronized (this) {
                // The refresh failed but the token it was to replace still works: keep using it.
                if (current != null && clock.instant().isBefore(current.expiresAt())) {
                    return current.value();
                }
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    }

    private void exchange(CompletableFuture<Token> pending) {
        Instant now = clock.instant();
        String form = "grant_type=" + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8)
                + "&assertion=" + SignedJwt.assertion(key, now);
        http.send(new UpstreamRequest(URI.create(key.tokenUri()),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
                form.getBytes(StandardCharsets.US_ASCII)), new UpstreamHandler() {
            private int status;
            private final BoundedBody body = new BoundedBody(MAX_ANSWER, -1);

            @Override
            public void onHead(UpstreamHead head) {
                status = head.status();
            }

            @Override
            public void onData(ByteBuffer data) {
                body.add(data);
            }

            @Override
            public void onEnd() {
                try {
                    done(pending, token(status, body.bytes(), now), null);
                } catch (TokenExchangeFailed | RuntimeException e) {
                    done(pending, null, e);
                }
            }

            @Override
            public void onFailure(IOException cause) {
                done(pending, null, cause);
            }
        });
    }

    private void done(CompletableFuture<Token> pending, Token token, Exception failure) {
        synchronized (this) {
            if (token != null) {
                current = token;
            }
            refresh = null;
        }
        if (token != null) {
            pending.complete(token);
        } else {
            pending.completeExceptionally(failure);
        }
    }

    private Token token(int status, byte[] body, Instant now) throws TokenExchangeFailed {
        JsonNode answer;
        try {
            answer = UpstreamJson.MAPPER.readTree(body);
        } catch (IOException notJson) {
            answer = null;
        }
        if (status != 200) {
            throw new TokenExchangeFailed("the token endpoint answered " + status + describe(answer));
        }
        String token = answer == null ? null : answer.path("access_token").textValue();
        long lifetime = answer == null ? 0 : answer.path("expires_in").asLong(0);
        if (token == null || token.isEmpty() || lifetime <= 0) {
            throw new TokenExchangeFailed("the token endpoint's answer has no access_token and expires_in");
        }
        Duration valid = Duration.ofSeconds(lifetime);
        Duration early = valid.dividedBy(2).compareTo(EARLY) < 0 ? valid.dividedBy(2) : EARLY;
        return new Token(token, now.plus(valid).minus(early), now.plus(valid));
    }

    /** OAuth's error and description ("invalid_grant: Invalid JWT Signature."), scrubbed, if the body has them. */
    private String describe(JsonNode answer) {
        String error = answer == null ? null : answer.path("error").textValue();
        if (error == null) {
            return "";
        }
        String description = answer.path("error_description").textValue();
        return " (" + Secrets.scrub(description == null ? error : error + ": " + description, secrets) + ")";
    }
}
