package dev.tollgate.operator.local;

import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.config.Snapshot;
import dev.tollgate.operator.config.SnapshotBuilder;
import dev.tollgate.operator.config.SnapshotInputs;
import dev.tollgate.operator.config.SpendKeyTokens;
import dev.tollgate.sidecar.Sidecar;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.telemetry.TelemetrySettings;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.spend.SpendKeyLedger;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code tollgate local DIR}: the manifests of a directory served by an in-process sidecar, as
 * the operator would configure it for namespace {@code default}. An edit to the directory applies
 * once it has stopped changing for {@link #SETTLE_MS} (a file truncated and written slowly is never
 * read half-written); a broken edit keeps the last good configuration and says why. Spend is saved
 * about every second, on close, and whenever a key is about to use budget the state file does not
 * yet hold for it, so a crash never loses spend; it is restored on start.
 */
public final class LocalGateway implements AutoCloseable {
    static final String NAMESPACE = ManifestLoader.DEFAULT_NAMESPACE;
    private static final long SAVE_INTERVAL_MS = 1_000;
    /** How long the directory must stay unchanged before it is applied; with a 100 ms poll, an edit applies within 0.5 s. */
    static final long SETTLE_MS = 300;

    private final LocalOptions options;
    private final PrintStream out;
    private final ManifestLoader loader;
    private final TokenStore tokens;
    private final LedgerStore ledgers;
    private final Sidecar sidecar;
    private final ScheduledExecutorService background;
    private final AtomicBoolean closed = new AtomicBoolean();
    // The fields below are used by the background thread only (and by close, after it stopped).
    private String seenFingerprint;
    /** The directory as last polled, and since when it has looked so: applied once it settled. */
    private String settlingFingerprint;
    private long settlingSinceNanos;
    private String appliedVersion;
    private boolean saveFailing;
    private String lastReloadError;
    /** What state.json holds; written by one writeLedgers call at a time (the registry serialises them). */
    private List<SpendKeyLedger> savedLedgers;
    /** Ledgers of keys not configured right now: a key removed for a moment must not come back with its spend reset. */
    private final Map<String, SpendKeyLedger> dormant = new ConcurrentSkipListMap<>();

    private LocalGateway(LocalOptions options, PrintStream out) throws ManifestException {
        this.options = options;
        this.out = out;
        this.loader = new ManifestLoader(options.env());
        this.tokens = new TokenStore(options.stateDir().resolve("spendkey-tokens.json"));
        this.ledgers = new LedgerStore(options.stateDir().resolve("state.json"));
        List<SpendKeyLedger> saved = ledgers.load();
        try {
            Files.createDirectories(options.stateDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + options.stateDir(), e);
        }

        seenFingerprint = DirectoryFingerprint.of(options.dir());
        settlingFingerprint = seenFingerprint;
        Loaded first = load(seenFingerprint);
        sidecar = startSidecar(first.snapshot().config(), saved);
        appliedVersion = seenFingerprint;
        saved.stream().filter(l -> sidecar.spendKeys().byName(l.name()).isEmpty()).forEach(l -> dormant.put(l.name(), l));

        out.println("tollgate local: serving " + options.dir());
        out.println("  proxy      http://127.0.0.1:" + sidecar.proxyPort() + "/v1   (OPENAI_BASE_URL)");
        out.println("  metrics    http://127.0.0.1:" + sidecar.adminPort() + "/metrics");
        out.println("  state      " + options.stateDir() + " (usage lines in usage.jsonl)");
        report("loaded configuration " + appliedVersion, first);

        background = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tollgate-local");
            thread.setDaemon(true);
            return thread;
        });
        long poll = options.pollInterval().toMillis();
        background.scheduleWithFixedDelay(this::reloadIfChanged, poll, poll, TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(this::saveIfChanged, SAVE_INTERVAL_MS, SAVE_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Loads DIR, starts serving and watching it; throws when DIR cannot be loaded at all. */
    public static LocalGateway start(LocalOptions options, PrintStream out) throws ManifestException {
        return new LocalGateway(options, out);
    }

    public int proxyPort() {
        return sidecar.proxyPort();
    }

    public int adminPort() {
        return sidecar.adminPort();
    }

    /** The running spend keys: budgets, spent and counters of the current period. */
    public SpendKeyRegistry spendKeys() {
        return sidecar.spendKeys();
    }

    /** Stops watching and serving, then saves spend one last time. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        background.shutdown();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sidecar.close();
        // Every request settled: what was set aside for the next ones is not spent.
        sidecar.spendKeys().releaseHeadroom();
        saveIfChanged();
        out.println("tollgate local: stopped; spend saved in " + ledgers.file());
        out.flush();
    }

    private Sidecar startSidecar(GatewayConfig config, List<SpendKeyLedger> saved) {
        try {
            return Sidecar.start(settings(), config, saved, this::writeLedgers);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw new IllegalStateException("cannot listen on 127.0.0.1:" + options.proxyPort() + " and :"
                            + options.adminPort() + " (" + cause.getMessage() + "); choose others with --port and --admin-port", e);
                }
            }
            throw e;
        }
    }

    private SidecarSettings settings() {
        // Both listeners on loopback: a laptop gateway is nobody else's business.
        return SidecarSettings.defaults()
                .withHosts("127.0.0.1", "127.0.0.1")
                .withPorts(options.proxyPort(), options.adminPort())
                .withIdentity(NAMESPACE, "local", "local", Map.of())
                .withUsageLog(options.stateDir().resolve("usage.jsonl"))
                .withLimits(options.maxConcurrent(), SidecarSettings.DEFAULT_MAX_BODY_BYTES)
                .withTelemetry(TelemetrySettings.fromEnv(options.env()));
    }

    private void reloadIfChanged() {
        try {
            String fingerprint = DirectoryFingerprint.of(options.dir());
            long now = System.nanoTime();
            if (!fingerprint.equals(settlingFingerprint)) {
                // Still being written (an editor, a `>` redirection): wait for it to stop changing.
                settlingFingerprint = fingerprint;
                settlingSinceNanos = now;
                return;
            }
            if (fingerprint.equals(seenFingerprint) || now - settlingSinceNanos < TimeUnit.MILLISECONDS.toNanos(SETTLE_MS)) {
                return;
            }
            seenFingerprint = fingerprint;
            Loaded loaded = load(fingerprint);
            var before = sidecar.spendKeys().ledgers().stream()
                    .flatMap(l -> sidecar.spendKeys().byName(l.name()).stream()).toList();
            sidecar.apply(loaded.snapshot().config());
            // Read once retired, so what the key had set aside for later requests is not kept as held.
            before.stream().filter(k -> sidecar.spendKeys().byName(k.name()).isEmpty())
                    .forEach(k -> dormant.put(k.name(), k.ledger()));
            wakeDormantLedgers();
            appliedVersion = fingerprint;
            lastReloadError = null;
            report("reloaded configuration " + fingerprint, loaded);
        } catch (ManifestException | RuntimeException e) {
            // Anything may go wrong with a half-edited file; none of it may stop serving.
            if (!String.valueOf(e.getMessage()).equals(lastReloadError)) {
                out.println("tollgate local: " + e.getMessage());
                out.println("  kept the last good configuration " + appliedVersion);
                out.flush();
            }
            lastReloadError = String.valueOf(e.getMessage());
        }
    }

    /** Gives keys that are configured again the spend they had. */
    private void wakeDormantLedgers() {
        List<SpendKeyLedger> back = dormant.values().stream()
                .filter(l -> sidecar.spendKeys().byName(l.name()).isPresent())
                .toList();
        sidecar.spendKeys().restore(back);
        back.forEach(l -> dormant.remove(l.name()));
    }

    /** The running keys' ledgers and the dormant ones into state.json, when they changed. */
    private void writeLedgers(List<SpendKeyLedger> running) throws IOException {
        List<SpendKeyLedger> all = new ArrayList<>(running);
        all.addAll(dormant.values());
        all.sort(Comparator.comparing(SpendKeyLedger::name));
        if (!all.equals(savedLedgers)) {
            ledgers.save(all);
            savedLedgers = all;
        }
    }

    private void saveIfChanged() {
        try {
            sidecar.spendKeys().writeLedgers();
            saveFailing = false;
        } catch (IOException | RuntimeException e) {
            if (!saveFailing) {
                out.println("tollgate local: cannot save spend to " + ledgers.file() + ": " + e.getMessage());
                out.flush();
            }
            saveFailing = true;
        }
    }

    private Loaded load(String version) throws ManifestException {
        Manifests manifests = loader.load(options.dir());
        List<Secret> secrets = new ArrayList<>(manifests.secrets());
        secrets.addAll(generatedTokenSecrets(manifests));
        Snapshot snapshot = SnapshotBuilder.build(new SnapshotInputs(NAMESPACE, Map.of(), manifests.providerSecrets(),
                manifests.routes(), manifests.spendKeys(), secrets, List.of(), version));
        List<String> notes = new ArrayList<>(manifests.notes());
        Stream.of(manifests.routes(), manifests.spendKeys(), manifests.providerSecrets())
                .flatMap(List::stream)
                .filter(o -> !NAMESPACE.equals(o.getMetadata().getNamespace()))
                .forEach(o -> notes.add(describe(o) + " is in namespace " + o.getMetadata().getNamespace()
                        + "; local mode serves routes and keys of namespace " + NAMESPACE));
        return new Loaded(snapshot, notes);
    }

    /** Tokens for spend keys without a token Secret: from the state directory, or new and shown once. */
    private List<Secret> generatedTokenSecrets(Manifests manifests) {
        List<Secret> generated = new ArrayList<>();
        for (SpendKey key : manifests.spendKeys()) {
            String ns = key.getMetadata().getNamespace();
            String secretName = SpendKeyTokens.secretName(key.getMetadata().getName());
            boolean inDir = manifests.secrets().stream().anyMatch(s ->
                    s.getMetadata().getName().equals(secretName) && s.getMetadata().getNamespace().equals(ns));
            if (inDir || !NAMESPACE.equals(ns)) {
                continue;
            }
            String id = ns + "/" + key.getMetadata().getName();
            String token = tokens.find(id);
            if (token == null) {
                try {
                    token = tokens.generate(id);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot save a token for spend key " + id + " in " + tokens.file(), e);
                }
                out.println("  spend key " + id + " has no Secret " + secretName + "; generated its token (shown once, kept in "
                        + tokens.file() + "):");
                out.println("    " + token);
            }
            generated.add(new SecretBuilder().withNewMetadata().withName(secretName).withNamespace(ns).endMetadata()
                    .withStringData(Map.of(SpendKeyTokens.SECRET_KEY, token)).build());
        }
        return generated;
    }

    private void report(String headline, Loaded loaded) {
        LoadReport.print(out, "tollgate local: " + headline, loaded.snapshot(), loaded.notes(), sidecar.spendKeys().ledgers());
    }

    private static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    /** A configuration built from the directory, with notes about what it skipped. */
    private record Loaded(Snapshot snapshot, List<String> notes) {
    }
}
