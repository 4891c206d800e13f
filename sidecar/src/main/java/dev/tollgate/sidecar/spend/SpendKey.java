package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.config.SpendKeyConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/** A spend key as the request path sees it: its policy checks in front of its account. Survives policy updates. */
public final class SpendKey {
    private final String name;
    private final Clock clock;
    private final KeyAccount account;

    SpendKey(SpendKeyConfig config, Clock clock, LeaseSource leases) {
        this.name = config.name();
        this.clock = clock;
        this.account = new KeyAccount(config, clock, leases);
    }

    public String name() {
        return name;
    }

    public SpendKeyConfig config() {
        return account.config();
    }

    /** Checks suspension, expiry, model allow-list (exact or trailing-* prefix), rate limits and budget, then reserves. */
    public Admission admit(String requestedModel, long estimatedTokens, long worstCaseMicros) throws SpendRejection {
        Objects.requireNonNull(requestedModel, "requestedModel");
        if (estimatedTokens < 0 || worstCaseMicros < 0) {
            throw new IllegalArgumentException("estimated tokens and worst-case cost must be >= 0");
        }
        SpendKeyConfig config = account.config();
        if (config.suspended()) {
            throw SpendRejection.suspended(name);
        }
        Instant expiresAt = config.expiresAt();
        if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
            throw SpendRejection.expired(name, expiresAt);
        }
        if (!allowsModel(requestedModel)) {
            throw SpendRejection.modelNotAllowed(name, requestedModel);
        }
        return account.reserve(estimatedTokens, worstCaseMicros);
    }

    /** Whether the key's model list lets it call this requested model name. */
    public boolean allowsModel(String requestedModel) {
        return ModelAllowList.allows(account.config().models(), requestedModel);
    }

    /** Budget left in the current period minus reservations; {@link Long#MAX_VALUE} if the key has no budget. */
    public long remainingMicros() {
        return account.remainingMicros();
    }

    /** The key's ledger now: spent, held and counters of the current period. */
    public SpendKeyLedger ledger() {
        return account.ledger();
    }

    KeyAccount account() {
        return account;
    }

    @Override
    public String toString() {
        return "SpendKey[" + name + "]";
    }
}
