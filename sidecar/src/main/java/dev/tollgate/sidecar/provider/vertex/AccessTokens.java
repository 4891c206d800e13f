package dev.tollgate.sidecar.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.UpstreamExchange;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.UpstreamResponse;
import dev.tollgate.sidecar.provider.UpstreamTransport;
import java.io.IOException;
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
     * A valid access token, exchanging for a new one when due. {@code aborted} completes when the
     * request gives up (a timeout): a wait ends and this caller's exchange is cut, as IOException.
     */
    String get(CompletableFuture<Void> aborted) throws IOException, TokenExchangeFailed {
        CompletableFuture<Token> pending;
        boolean exchanging = false;
        synchronized (this) {
            Instant now = clock.instant();
            if (current != null && (now.isBefore(current.refreshAt()) || refresh != null && now.isBefore(current.expiresAt()))) {
                return current.value();
            }
            if (refresh == null) {
                refresh = new CompletableFuture<>();
                exchanging = true;
            }
            pending = refresh;
        }
        if (exchanging) {
            exchangeInto(pending, aborted);
        }
        CompletableFuture.anyOf(pending, aborted).exceptionally(failed -> null).join();
        if (!pending.isDone()) {
            throw new IOException("aborted while waiting for an access token");
        }
        try {
            return pending.join().value();
        } catch (CompletionException e) {
            synchronized (this) {
                // The refresh failed but the token it was to replace still works: keep using it.
                if (current != null && clock.instant().isBefore(current.expiresAt())) {
                    return current.value();
                }
            }
            if (e.getCause() instanceof TokenExchangeFailed failed) {
                throw failed;
            }
            throw new IOException("the token exchange was cut", e.getCause());
        }
    }

    private void exchangeInto(CompletableFuture<Token> pending, CompletableFuture<Void> aborted) {
        try {
            Token token = exchange(aborted);
            synchronized (this) {
                current = token;
                refresh = null;
            }
            pending.complete(token);
        } catch (IOException | TokenExchangeFailed | RuntimeException e) {
            synchronized (this) {
                refresh = null;
            }
            pending.completeExceptionally(e);
        }
    }

    private Token exchange(CompletableFuture<Void> aborted) throws IOException, TokenExchangeFailed {
        Instant now = clock.instant();
        String form = "grant_type=" + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8)
                + "&assertion=" + SignedJwt.assertion(key, now);
        UpstreamExchange exchange = http.open(new UpstreamRequest(URI.create(key.tokenUri()),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
                form.getBytes(StandardCharsets.US_ASCII)));
        aborted.thenRun(exchange::abort);
        JsonNode answer;
        int status;
        try (UpstreamResponse response = exchange.send()) {
            status = response.status();
            byte[] body = response.body().readNBytes(MAX_ANSWER);
            try {
                answer = UpstreamJson.MAPPER.readTree(body);
            } catch (IOException notJson) {
                answer = null;
            }
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
