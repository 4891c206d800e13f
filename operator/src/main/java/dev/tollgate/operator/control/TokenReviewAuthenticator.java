package dev.tollgate.operator.control;

import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a pod's projected ServiceAccount token (audience {@code tollgate.dev}) with a TokenReview.
 * Accepted tokens are remembered by their SHA-256 for a minute, so thousands of long-polling
 * sidecars do not each cost an API call per poll. The token itself is never kept, logged or quoted.
 */
public final class TokenReviewAuthenticator {
    public static final String AUDIENCE = "tollgate.dev";
    static final String POD_NAME_EXTRA = "authentication.kubernetes.io/pod-name";
    private static final String SA_PREFIX = "system:serviceaccount:";
    /** Past this many remembered tokens the expired ones are dropped, then all: memory stays bounded. */
    private static final int MAX_CACHED = 50_000;

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration cacheFor;
    private final Map<String, Cached> accepted = new ConcurrentHashMap<>();

    public TokenReviewAuthenticator(KubernetesClient client, Clock clock, Duration cacheFor) {
        this.client = client;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    public TokenReviewAuthenticator(KubernetesClient client) {
        this(client, Clock.systemUTC(), Duration.ofSeconds(60));
    }

    /**
     * The pod the token belongs to.
     *
     * @throws InvalidToken when the API server does not accept it (or it is not a pod's ServiceAccount token)
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server cannot be asked
     */
    public PodIdentity authenticate(String token) throws InvalidToken {
        if (token == null || token.isBlank()) {
            throw new InvalidToken("a bearer token is required");
        }
        String hash = SpendKeyRegistry.sha256Hex(token);
        Instant now = clock.instant();
        Cached cached = accepted.get(hash);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.identity();
        }
        PodIdentity identity = review(token);
        if (accepted.size() >= MAX_CACHED) {
            accepted.values().removeIf(c -> !now.isBefore(c.until()));
            if (accepted.size() >= MAX_CACHED) {
                accepted.clear();
            }
        }
        accepted.put(hash, new Cached(identity, now.plus(cacheFor)));
        return identity;
    }

    private PodIdentity review(String token) throws InvalidToken {
        TokenReview review = client.resource(new TokenReviewBuilder()
                .withNewSpec().withToken(token).withAudiences(AUDIENCE).endSpec()
                .build()).create();
        var status = review.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
            throw new InvalidToken("the token was not accepted");
        }
        // An authenticator that ignores audiences answers with none: a token minted for another service
        // (or a legacy, audience-less one) must not pass for a Tollgate token.
        if (status.getAudiences() == null || !status.getAudiences().contains(AUDIENCE)) {
            throw new InvalidToken("the token is not meant for " + AUDIENCE);
        }
        UserInfo user = status.getUser();
        String username = user.getUsername() == null ? "" : user.getUsername();
        String[] parts = username.startsWith(SA_PREFIX) ? username.substring(SA_PREFIX.length()).split(":") : new String[0];
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new InvalidToken("only a pod's ServiceAccount token is accepted");
        }
        List<String> pod = user.getExtra() == null ? null : user.getExtra().get(POD_NAME_EXTRA);
        return new PodIdentity(parts[0], parts[1], pod == null || pod.isEmpty() ? null : pod.get(0));
    }

    private record Cached(PodIdentity identity, Instant until) {
    }

    /** The token is not valid here; the message is safe to send back (it never quotes the token). */
    public static final class InvalidToken extends Exception {
        InvalidToken(String message) {
            super(message, null, false, false);
        }
    }
}
