package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The spend keys of this sidecar, found by token hash or name. Reads are lock-free on an immutable snapshot;
 * updates replace the snapshot and keep each remaining key's object, so its ledger and in-flight admissions stay.
 */
public final class SpendKeyRegistry {
    private record Keys(Map<String, SpendKey> byName, Map<String, SpendKey> byTokenHash) {
    }

    private final Clock clock;
    private final LeaseSource leases;
    private final LedgerWriter writer;
    private volatile Keys keys = new Keys(Map.of(), Map.of());

    /** Budgets held in process (file mode), kept nowhere else. */
    public SpendKeyRegistry(Clock clock) {
        this.clock = clock;
        this.leases = LeaseSource.IN_PROCESS;
        this.writer = null;
    }

    /**
     * Budgets held in process and kept by {@code writer} (local mode): a key uses budget only once the writer
     * holds it, so no crash loses spend.
     */
    public SpendKeyRegistry(Clock clock, LedgerWriter writer) {
        this.clock = clock;
        this.writer = writer;
        this.leases = LeaseSource.inProcess(this::writeLedgers);
    }

    /** Budgets and rate allowances leased from the operator (in-cluster mode), on the leases' clock. */
    public SpendKeyRegistry(OperatorLeases leases) {
        this(leases.clock(), leases);
    }

    private SpendKeyRegistry(Clock clock, LeaseSource leases) {
        this.clock = clock;
        this.leases = leases;
        this.writer = null;
    }

    /**
     * Hands every key's ledger to the writer, one call at a time, so a later write never carries older figures
     * than an earlier one; nothing without a writer. Budget a burst set aside and no longer needs is given back
     * first, so the held figure follows the load down. Called without any key's lock held.
     */
    public void writeLedgers() throws IOException {
        if (writer == null) {
            return;
        }
        synchronized (writer) {
            keys.byName().values().forEach(key -> key.account().trimHeadroom());
            writer.write(ledgers());
        }
    }

    /** Stopping cleanly, after every request settled: budget set aside and not spent is no longer held. */
    public void releaseHeadroom() {
        keys.byName().values().forEach(key -> key.account().releaseHeadroom());
    }

    /** New policies; ledgers of keys that stay (same name) are kept. Invalid input throws and changes nothing. */
    public synchronized void update(List<SpendKeyConfig> configs) {
        validate(configs);
        Keys current = keys;
        Map<String, SpendKey> byName = new HashMap<>();
        Map<String, SpendKey> byTokenHash = new HashMap<>();
        for (SpendKeyConfig config : configs) {
            SpendKey key = current.byName().get(config.name());
            if (key == null) {
                key = new SpendKey(config, clock, leases);
            } else {
                key.account().apply(config);
            }
            byName.put(config.name(), key);
            byTokenHash.put(config.tokenSha256(), key);
        }
        keys = new Keys(Map.copyOf(byName), Map.copyOf(byTokenHash));
        current.byName().forEach((name, key) -> {
            if (!byName.containsKey(name)) {
                key.account().retire();
            }
        });
    }

    /** The key whose token this is; the token is only hashed, never kept. */
    public Optional<SpendKey> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(keys.byTokenHash().get(sha256Hex(bearerToken)));
    }

    public Optional<SpendKey> byName(String name) {
        return Optional.ofNullable(keys.byName().get(name));
    }

    /** Each key's ledger, consistent per key, sorted by name; for persistence and status. */
    public List<SpendKeyLedger> ledgers() {
        return keys.byName().values().stream()
                .map(key -> key.account().ledger())
                .sorted(Comparator.comparing(SpendKeyLedger::name))
                .toList();
    }

    /** After a restart: spent and counters come back. Unknown names are ignored; a closed period rolls into history. */
    public synchronized void restore(List<SpendKeyLedger> saved) {
        Set<String> names = new HashSet<>();
        for (SpendKeyLedger ledger : saved) {
            if (ledger == null) {
                throw new IllegalArgumentException("spend key ledgers: null entry");
            }
            if (!names.add(ledger.name())) {
                throw new IllegalArgumentException("spend key ledgers: '" + ledger.name() + "' appears twice");
            }
        }
        Keys current = keys;
        for (SpendKeyLedger ledger : saved) {
            SpendKey key = current.byName().get(ledger.name());
            if (key != null) {
                key.account().restore(ledger);
            }
        }
    }

    /** Lowercase hex SHA-256 of the token's UTF-8 bytes, as the operator stores it. */
    public static String sha256Hex(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The configuration's own spend-key checks, plus unique names, which this registry is keyed by. */
    private static void validate(List<SpendKeyConfig> configs) {
        new GatewayConfig(null, null, null, null, configs).validate();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < configs.size(); i++) {
            if (!names.add(configs.get(i).name())) {
                throw new ConfigException("spendKeys[" + i + "].name: duplicate spend key '" + configs.get(i).name() + "'");
            }
        }
    }
}
