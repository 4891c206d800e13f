package dev.tollgate.sidecar.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.provider.HttpTransport;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.IoThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service account's token exchange against an in-test token endpoint, on a clock the test moves. */
class AccessTokensTest {
    private static final String TOKEN = "ya29.c.b0AXv0zTMh2Yc7ZqT0ExampleAccessTokenForTests";

    private final FakeUpstream tokenEndpoint = FakeUpstream.start();
    private final IoThreads io = new IoThreads(1);
    private final HttpTransport http = new HttpTransport(io.worker(), io.buffers(), Duration.ofSeconds(2), 8);
    private final TestServiceAccount account = new TestServiceAccount(tokenEndpoint.root() + "/token");
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T10:00:00Z"));
    private final AccessTokens tokens = new AccessTokens(ServiceAccountKey.parse(account.json()), List.of(account.json()),
            http, now::get);

    @AfterEach
    void stop() throws Exception {
        http.close();
        io.close();
        tokenEndpoint.close();
    }

    private String token() throws Exception {
        try {
            return tokens.get().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static Reply token(String value, long expiresIn) {
        return Reply.json(200, "{\"access_token\":\"" + value + "\",\"expires_in\":" + expiresIn + ",\"token_type\":\"Bearer\"}");
    }

    @Test
    void theSignedAssertionIsExchangedOnceAndTheTokenReusedUntilShortlyBeforeItExpires() throws Exception {
        tokenEndpoint.enqueue(Reply.json(200, Fixtures.read("vertex/token.json")), token("ya29.second", 3599));

        assertThat(token()).isEqualTo(TOKEN);
        assertThat(tokenEndpoint.last().uri()).isEqualTo("/token");
        assertThat(tokenEndpoint.last().header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(account.verifyTokenRequest(tokenEndpoint.last().body()).get("iat").asLong())
                .isEqualTo(Instant.parse("2026-11-25T10:00:00Z").getEpochSecond());

        now.set(Instant.parse("2026-11-25T10:54:00Z"));
        assertThat(token()).isEqualTo(TOKEN);
        assertThat(tokenEndpoint.received()).hasSize(1);

        // 3599 s lifetime: from 5 minutes before expiry on, a new token is fetched.
        now.set(Instant.parse("2026-11-25T10:55:00Z"));
        assertThat(token()).isEqualTo("ya29.second");
        assertThat(tokenEndpoint.received()).hasSize(2);
        account.verifyTokenRequest(tokenEndpoint.last().body());
    }

    @Test
    void aShortLivedTokenIsRefreshedAtHalfItsLifetime() throws Exception {
        tokenEndpoint.enqueue(token("ya29.short", 120), token("ya29.next", 3599));

        assertThat(token()).isEqualTo("ya29.short");
        now.set(now.get().plusSeconds(59));
        assertThat(token()).isEqualTo("ya29.short");
        now.set(now.get().plusSeconds(1));
        assertThat(token()).isEqualTo("ya29.next");
    }

    @Test
    void concurrentRequestsShareOneExchange() throws Exception {
        tokenEndpoint.enqueue(Reply.delayed(300, Reply.json(200, Fixtures.read("vertex/token.json"))));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit((java.util.concurrent.Callable<String>) this::token));
            }
            for (Future<String> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(TOKEN);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokenEndpoint.received()).hasSize(1);
    }

    @Test
    void aRefusedExchangeSaysWhyWithoutAnySecret() {
        tokenEndpoint.enqueue(Reply.json(400, Fixtures.read("vertex/token-invalid-grant.json")));

        assertThatThrownBy(this::token).isInstanceOf(TokenExchangeFailed.class)
                .hasMessage("the token endpoint answered 400 (invalid_grant: Invalid JWT Signature.)");
    }

    @Test
    void aFailedRefreshKeepsUsingTheTokenThatHasNotExpiredYet() throws Exception {
        tokenEndpoint.enqueue(Reply.json(200, Fixtures.read("vertex/token.json")), Reply.json(503, "{}"));
        token();

        now.set(Instant.parse("2026-11-25T10:56:00Z"));
        assertThat(token()).isEqualTo(TOKEN);
        assertThat(tokenEndpoint.received()).hasSize(2);

        now.set(Instant.parse("2026-11-25T11:00:00Z"));
        tokenEndpoint.enqueue(Reply.json(503, "{}"));
        assertThatThrownBy(this::token).isInstanceOf(TokenExchangeFailed.class).hasMessageContaining("503");
    }

    @Test
    void aSlowTokenEndpointHoldsNoCallerUntilItAnswers() throws Exception {
        tokenEndpoint.enqueue(Reply.delayed(1_000, Reply.json(200, Fixtures.read("vertex/token.json"))));

        CompletableFuture<String> token = tokens.get();

        assertThat(token).as("returned at once, still pending").isNotDone();
        assertThat(token.get(10, TimeUnit.SECONDS)).isEqualTo(TOKEN);
    }

    @Test
    void aBrokenKeyIsRejectedWithoutQuotingIt() {
        String json = account.json();
        assertThatThrownBy(() -> ServiceAccountKey.parse(json.replace("client_email", "email")))
                .hasMessage("the service-account key has no 'client_email'");
        assertThatThrownBy(() -> ServiceAccountKey.parse(json.substring(0, json.length() - 5)))
                .hasMessage("the service-account key is not a JSON object");
        assertThatThrownBy(() -> ServiceAccountKey.parse(json.replace("MII", "XYZ")))
                .hasMessage("the service-account key's 'private_key' is not an RSA key");
        assertThat(ServiceAccountKey.parse(json).toString()).isEqualTo("ServiceAccountKey[" + TestServiceAccount.EMAIL + "]");
    }
}
