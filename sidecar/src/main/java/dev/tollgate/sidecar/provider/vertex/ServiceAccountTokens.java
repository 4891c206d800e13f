package dev.tollgate.sidecar.provider.vertex;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.UpstreamTransport;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens of every service account the sidecar has seen, kept across configuration swaps
 * (one exchange per account and hour, not per swap), and the transports that attach them.
 */
public final class ServiceAccountTokens {
    private final UpstreamTransport http;
    private final InstantSource clock;
    private final Map<String, AccessTokens> byKey = new ConcurrentHashMap<>();

    public ServiceAccountTokens(UpstreamTransport http) {
        this(http, InstantSource.system());
    }

    ServiceAccountTokens(UpstreamTransport http, InstantSource clock) {
        this.http = http;
        this.clock = clock;
    }

    /** The provider's requests, sent through {@code http} with its service account's bearer token. */
    public UpstreamTransport transport(ProviderConfig provider) {
        // Keyed by the key file's hash: a rotated key gets a token of its own, and no key is held as a map key.
        AccessTokens tokens = byKey.computeIfAbsent(SpendKeyRegistry.sha256Hex(provider.apiKey()), k -> new AccessTokens(
                ServiceAccountKey.parse(provider.apiKey()), provider.secretValues(), http, clock));
        return new GoogleAuthTransport(http, tokens, provider.id());
    }
}
