package dev.tollgate.sidecar.control;

import dev.tollgate.sidecar.wire.ControlSnapshot;
import dev.tollgate.sidecar.wire.LeaseAnswer;
import dev.tollgate.sidecar.wire.LeaseCall;
import dev.tollgate.sidecar.wire.LeaseGrant;
import dev.tollgate.sidecar.wire.LeaseReport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The operator's control API as a sidecar sees it, over real HTTPS on 127.0.0.1: one snapshot, and
 * {@code POST /v1/leases} answered per DESIGN.md section 5 from a small ledger (cumulative figures, sequences,
 * top-up within {@code limit - spent - reserved}, expiry, per-minute allowances). It records every call.
 */
final class ControlApiDouble implements AutoCloseable {
    static final String TOKEN = "sa-token-of-the-pod";
    private static final String PASSWORD = "changeit";
    private static final Duration LEASE_TTL = Duration.ofSeconds(30);

    /** One lease as the double recorded it. */
    static final class Lease {
        final String key;
        long sequence;
        long granted;
        long spent;
        long requests;
        Instant expiresAt;
        boolean closed;
        Instant windowStart;
        long windowRequests;

        Lease(String key) {
            this.key = key;
        }

        /** What the key counts for it: spent, plus the unspent part while it is open (an expired one too, until reported). */
        long committed() {
            return closed ? spent : Math.max(granted, spent);
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Clock clock;
    private final String namespace;
    private final GatewayConfig config;
    private final Map<String, Long> limits = new HashMap<>();
    private final Map<String, Integer> requestsPerMinute = new HashMap<>();
    // Guarded by this.
    private final Map<String, Lease> leases = new LinkedHashMap<>();
    private final List<LeaseCall> calls = new ArrayList<>();
    private boolean down;
    private boolean loseNextAnswer;
    private CountDownLatch holding;
    private int heldCalls;

    ControlApiDouble(Clock clock, String namespace, GatewayConfig config) throws Exception {
        this.clock = clock;
        this.namespace = namespace;
        this.config = config;
        config.spendKeys().forEach(key -> {
            String name = key.name().substring(key.name().indexOf('/') + 1);
            if (key.budgetMicros() != null) {
                limits.put(name, key.budgetMicros());
            }
            if (key.requestsPerMinute() != null) {
                requestsPerMinute.put(name, key.requestsPerMinute());
            }
        });
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext()));
        server.setExecutor(executor);
        server.createContext("/v1/snapshot", this::snapshot);
        server.createContext("/v1/leases", this::leases);
        server.start();
    }

    /** How a sidecar of this test reaches the double: its CA, a token file, a state directory. */
    ControlSettings settings(Path dir) throws IOException {
        Path token = Files.writeString(Files.createTempFile(dir, "token", ""), TOKEN + "\n");
        return new ControlSettings(URI.create("https://127.0.0.1:" + server.getAddress().getPort()), caPem(), token,
                Files.createTempDirectory(dir, "state"), Duration.ofSeconds(5));
    }

    /** While down, every lease call fails (503), as when no operator replica answers. */
    synchronized void down(boolean isDown) {
        down = isDown;
    }

    /** The next lease call is applied but its answer never reaches the sidecar. */
    synchronized void loseNextAnswer() {
        loseNextAnswer = true;
    }

    /** From now on lease calls are held, unanswered, until {@link #answerHeldCalls()}. */
    synchronized void holdCalls() {
        holding = new CountDownLatch(1);
    }

    synchronized void answerHeldCalls() {
        holding.countDown();
        holding = null;
    }

    /** Calls that arrived while calls were held. */
    synchronized int heldCalls() {
        return heldCalls;
    }

    synchronized List<LeaseCall> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Lease> leasesOf(String key) {
        return leases.values().stream().filter(l -> l.key.equals(key)).toList();
    }

    /** What the key spent by the reports received, every lease of it. */
    synchronized long spent(String key) {
        return leasesOf(key).stream().mapToLong(l -> l.spent).sum();
    }

    synchronized long committed(String key) {
        return leasesOf(key).stream().mapToLong(Lease::committed).sum();
    }

    private void snapshot(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        if (exchange.getRequestURI().getQuery() != null) {
            sleep(200); // a short long poll: nothing changes in these tests
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        send(exchange, 200, new ControlSnapshot(1, namespace, config).toJson());
    }

    private void leases(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        LeaseCall call;
        try (InputStream body = exchange.getRequestBody()) {
            call = ConfigJson.MAPPER.readValue(body, LeaseCall.class);
        }
        CountDownLatch hold;
        synchronized (this) {
            hold = holding;
            heldCalls += hold == null ? 0 : 1;
        }
        if (hold != null) {
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer;
        synchronized (this) {
            if (down) {
                send(exchange, 503, "{\"error\":{\"message\":\"no operator\",\"type\":\"unavailable\"}}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            calls.add(call);
            List<LeaseGrant> grants = new ArrayList<>();
            call.leases().forEach(report -> grants.add(apply(report)));
            answer = ConfigJson.MAPPER.writeValueAsBytes(new LeaseAnswer(grants));
            if (loseNextAnswer) {
                loseNextAnswer = false;
                send(exchange, 502, "{\"error\":{\"message\":\"answer lost\",\"type\":\"bad_gateway\"}}".getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        send(exchange, 200, answer);
    }

    /** One report against the ledger: cumulative figures replace the recorded ones; a grant tops up to want. */
    private LeaseGrant apply(LeaseReport report) {
        Instant now = clock.instant();
        Lease lease = leases.computeIfAbsent(report.lease(), id -> new Lease(report.key()));
        Long limit = limits.get(report.key());
        if (report.sequence() > lease.sequence) {
            lease.sequence = report.sequence();
            lease.spent = report.spentMicros();
            lease.requests = report.requests();
            if (report.release() || lease.closed) {
                lease.closed = true; // the truth replaces the estimate; nothing more is granted
            } else {
                // Expired or not, a report keeps the lease open (an expired one counted its grant all along).
                lease.expiresAt = now.plus(LEASE_TTL);
                if (limit != null) {
                    long held = Math.max(0, lease.granted - lease.spent);
                    long topUp = Math.min(Math.max(0, report.wantMicros() - held), Math.max(0, limit - committedAll()));
                    lease.granted = Math.max(lease.granted, lease.spent) + topUp;
                }
                grantRequests(lease, report, now);
            }
        }
        Long remaining = limit == null ? null : limit - committedAll();
        return new LeaseGrant(report.key(), report.lease(), lease.sequence, report.periodStart(), lease.granted,
                lease.windowStart, lease.windowRequests, 0, lease.expiresAt, "Active", remaining, null);
    }

    private void grantRequests(Lease lease, LeaseReport report, Instant now) {
        Integer perMinute = requestsPerMinute.get(lease.key);
        if (perMinute == null) {
            return;
        }
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        if (!minute.equals(lease.windowStart)) {
            lease.windowStart = minute;
            lease.windowRequests = 0;
        }
        long grantedInMinute = leases.values().stream()
                .filter(l -> l.key.equals(lease.key) && minute.equals(l.windowStart))
                .mapToLong(l -> l.windowRequests).sum();
        lease.windowRequests += Math.max(0, Math.min(report.wantRequests(), perMinute - grantedInMinute));
    }

    private long committedAll() {
        return leases.values().stream().mapToLong(Lease::committed).sum();
    }

    private static boolean authorized(HttpExchange exchange) throws IOException {
        if (("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        send(exchange, 401, "{\"error\":{\"message\":\"invalid token\",\"type\":\"invalid_token\"}}".getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String caPem() {
        try (InputStream pem = ControlApiDouble.class.getResourceAsStream("/control/tg-control.pem")) {
            return new String(pem.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SSLContext sslContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream p12 = ControlApiDouble.class.getResourceAsStream("/control/tg-control.p12")) {
            store.load(p12, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
