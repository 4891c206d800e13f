package dev.tollgate.sidecar;

import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.control.ConfigStatus;
import dev.tollgate.sidecar.metering.JsonLinesUsageLog;
import dev.tollgate.sidecar.metrics.GatewayMetrics;
import dev.tollgate.sidecar.provider.HttpTransport;
import dev.tollgate.sidecar.provider.ProviderFactory;
import dev.tollgate.sidecar.routing.CircuitBreakers;
import dev.tollgate.sidecar.server.ProxyRoutes;
import dev.tollgate.sidecar.spend.OperatorLeases;
import dev.tollgate.sidecar.spend.LedgerWriter;
import dev.tollgate.sidecar.spend.SpendKeyLedger;
import dev.tollgate.sidecar.spend.SpendKeyRegistry;
import dev.tollgate.sidecar.telemetry.Telemetry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * One running sidecar: the proxy and admin listeners, the current configuration snapshot, and the
 * state that outlives snapshots (spend-key ledgers, circuit breakers, metrics, upstream connections).
 */
public final class Sidecar implements AutoCloseable {
    /** Within Kubernetes' default 30 s grace period, leaving time for the rest of the pod. */
    private static final long DRAIN_ON_CLOSE_MS = 20_000;
    /**
     * Requests are served on the I/O threads and never block; Undertow's worker pool is left with
     * nothing to run but must exist: one thread, started only if something ever dispatches to it.
     */
    static final int WORKERS = 1;
    /**
     * The buffers sockets are read and written through, clients' and providers' alike: direct (no copy
     * through a temporary one per read), taken for one read or write and given back.
     */
    static final int BUFFER_BYTES = 8 * 1024;
    /** Held so java.util.logging keeps the levels: the servers' start-up banners are noise next to an app. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"));

    static {
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
    }

    private final SidecarSettings settings;
    /** The IO threads that serve clients and call providers, shared by the server and the transport. */
    private final XnioWorker worker;
    private final HttpTransport http;
    private final ProviderFactory providers;
    private final SpendKeyRegistry spendKeys;
    private final AtomicReference<GatewayState> state = new AtomicReference<>();
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final JsonLinesUsageLog usageLog;
    private final Telemetry telemetry;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Undertow server;
    private final GracefulShutdownHandler proxy;

    private Sidecar(SidecarSettings settings, GatewayConfig config, List<SpendKeyLedger> ledgers, Supplier<ConfigStatus> status,
                    SpendKeyRegistry spendKeys, XnioWorker worker) throws IOException {
        this.settings = settings;
        this.worker = worker;
        ByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_BYTES, -1, 4);
        this.http = new HttpTransport(worker, buffers, Duration.ofSeconds(10), settings.maxConcurrentRequests());
        this.providers = new ProviderFactory(http);
        this.spendKeys = spendKeys;
        apply(config);
        // Before listening: not one request may see a budget without what was already spent.
        spendKeys.restore(ledgers);
        publishBudgets();
        this.usageLog = settings.usageLog() == null ? JsonLinesUsageLog.stdout() : JsonLinesUsageLog.appendingTo(settings.usageLog());
        this.telemetry = Telemetry.start(settings.telemetry(), Map.of("k8s.namespace.name", settings.namespace(),
                        "k8s.pod.name", settings.pod(), "tollgate.workload", settings.workload()), http,
                (signal, count) -> metrics.telemetryDropped(signal.wireName(), count));
        Supplier<ConfigStatus> fromFile = () -> ConfigStatus.fromFile(state.get().config().version());
        ProxyRoutes routes = new ProxyRoutes(settings, state::get, spendKeys, new CircuitBreakers(), metrics, usageLog, telemetry,
                status == null ? fromFile : status);
        this.proxy = Handlers.gracefulShutdown(routes.proxy());
        this.server = Undertow.builder()
                .addHttpListener(settings.proxyPort(), settings.proxyHost(), proxy)
                .addHttpListener(settings.adminPort(), settings.adminHost(), routes.admin())
                .setWorker(worker)
                .setByteBufferPool(buffers)
                // No cut by Undertow: BodyReadingHandler keeps the limit and answers 413 after dropping the rest.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
                .setServerOption(UndertowOptions.MAX_HEADERS, 100)
                // A stalled client is dropped: the request body's own timeout is BodyReadingHandler's.
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, settings.clientTimeouts().headersMs())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, settings.clientTimeouts().idleConnectionMs())
                .build();
        server.start();
    }

    /** Starts listening with this configuration; throws {@link ConfigException} if it is invalid. */
    public static Sidecar start(SidecarSettings settings, GatewayConfig config) {
        return start(settings, config, List.of(), null, new SpendKeyRegistry(Clock.systemUTC()));
    }

    /**
     * Starts listening with spend already recorded (a restart; ledgers of keys not configured are ignored) and
     * keeps it with {@code writer}, which has budget recorded as held before any request uses it.
     */
    public static Sidecar start(SidecarSettings settings, GatewayConfig config, List<SpendKeyLedger> ledgers,
                                LedgerWriter writer) {
        return start(settings, config, ledgers, null, new SpendKeyRegistry(Clock.systemUTC(), writer));
    }

    /**
     * Starts listening before there is a configuration (in-cluster mode): an empty one until the
     * first {@link #apply}; {@code /readyz} and the control-plane gauges report {@code status}.
     * Spend keys spend what the operator leases them through {@code leases}.
     */
    public static Sidecar startAwaitingConfig(SidecarSettings settings, Supplier<ConfigStatus> status, OperatorLeases leases) {
        return start(settings, GatewayConfig.empty(), List.of(), status, new SpendKeyRegistry(leases));
    }

    private static Sidecar start(SidecarSettings settings, GatewayConfig config, List<SpendKeyLedger> ledgers,
            Supplier<ConfigStatus> status, SpendKeyRegistry spendKeys) {
        XnioWorker worker = ioThreads();
        try {
            return new Sidecar(settings, config, ledgers, status, spendKeys, worker);
        } catch (IOException | RuntimeException e) {
            // An invalid configuration or a port in use: the IO threads would keep the process alive.
            worker.shutdownNow();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Undertow's own worker settings: no connection limit of XNIO's, Nagle off, writes corked. */
    private static XnioWorker ioThreads() {
        try {
            return Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())))
                    .set(Options.WORKER_TASK_CORE_THREADS, WORKERS)
                    .set(Options.WORKER_TASK_MAX_THREADS, WORKERS)
                    .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                    .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validates, then swaps the configuration atomically; requests in flight finish on the old one. */
    public void apply(GatewayConfig config) {
        GatewayState next = GatewayState.compile(config, settings, providers);
        spendKeys.update(config.spendKeys());
        state.set(next);
        publishBudgets();
    }

    /**
     * Sets every configured key's {@code tollgate_lease_remaining_usd}: from the start, not only once it was
     * used, and (in-cluster mode) after each lease call changed what it holds.
     */
    public void publishBudgets() {
        state.get().config().spendKeys().forEach(key -> spendKeys.byName(key.name()).ifPresent(metrics::leaseRemaining));
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public SpendKeyRegistry spendKeys() {
        return spendKeys;
    }

    public int proxyPort() {
        return port(0);
    }

    public int adminPort() {
        return port(1);
    }

    private int port(int listener) {
        return ((InetSocketAddress) server.getListenerInfo().get(listener).getAddress()).getPort();
    }

    /**
     * Stops taking requests, lets those in flight finish (at most 20 s), exports what telemetry holds, then
     * stops. A second call does nothing.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        // A pod being stopped lets its requests (streams included) finish, for a while, before closing.
        proxy.shutdown();
        try {
            proxy.awaitShutdown(DRAIN_ON_CLOSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        // Before the transport and its IO threads: the last spans and events leave through them.
        telemetry.close();
        http.close();
        worker.shutdown();
        try {
            worker.awaitTermination(DRAIN_ON_CLOSE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            usageLog.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
