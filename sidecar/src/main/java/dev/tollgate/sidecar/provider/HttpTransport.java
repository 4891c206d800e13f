package dev.tollgate.sidecar.provider;

import io.undertow.UndertowOptions;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.ssl.XnioSsl;

/**
 * HTTP/1.1 to providers with Undertow's own client, on the sidecar server's XNIO IO threads: a request
 * sent from an IO thread (a client's request being served) runs on that same thread, so the provider's
 * bytes are read, translated and written to the client without a hand-off between threads; one sent
 * from elsewhere (a retry after its backoff, the timer) runs on one the worker picks. Each IO thread
 * keeps its own idle connections per provider origin ({@link IdleConnections}); a connection serves one
 * exchange at a time, so pausing a stream pauses only its own socket. TLS checks the provider's host
 * name (the JDK's HTTPS endpoint identification, with SNI). A host name is looked up before a connection
 * opens, off the IO threads ({@link #RESOLVER_THREADS} threads that stop when idle): a lookup blocks, and a
 * slow DNS server would stall every stream of the IO thread waiting on it. Undertow's own lookup, on the IO
 * thread right after, then finds the answer in the JDK's address cache.
 */
public final class HttpTransport implements UpstreamTransport, AutoCloseable {
    /** How long a kept-alive connection may wait for its next request; below the usual provider's own limit. */
    static final long IDLE_MS = 30_000;
    /** Lookups at once: a few provider hosts, each looked up again only when the JDK's cache lets it go (30 s). */
    static final int RESOLVER_THREADS = 2;

    /** Looks a host name up, blocking; the JDK's own lookup, which fills its address cache. */
    @FunctionalInterface
    interface Resolver {
        void resolve(String host) throws IOException;

        Resolver JDK = InetAddress::getAllByName;
    }

    private final XnioWorker worker;
    private final ByteBufferPool buffers;
    private final XnioSsl tls;
    private final long connectTimeoutMs;
    private final IdleConnections[] idle;
    private final Resolver resolver;
    private final ThreadPoolExecutor lookups;
    private final OptionMap options = OptionMap.create(UndertowOptions.ENABLE_HTTP2, false, Options.TCP_NODELAY, true);

    /**
     * @param worker            the server's XNIO worker, whose IO threads run every exchange
     * @param buffers           the server's buffer pool, which bodies are read through
     * @param maxIdlePerOrigin  idle connections each IO thread keeps per origin; more are closed when their exchange ends
     */
    public HttpTransport(XnioWorker worker, ByteBufferPool buffers, Duration connectTimeout, int maxIdlePerOrigin) {
        this(worker, buffers, connectTimeout, maxIdlePerOrigin, defaultTls(), IDLE_MS);
    }

    /** With the trust of {@code trust} instead of the JDK's default trust store (tests: a private CA), and {@code idleMs}. */
    HttpTransport(XnioWorker worker, ByteBufferPool buffers, Duration connectTimeout, int maxIdlePerOrigin, SSLContext trust,
                  long idleMs) {
        this(worker, buffers, connectTimeout, maxIdlePerOrigin, trust, idleMs, Resolver.JDK);
    }

    /** With {@code resolver} instead of the JDK's lookup (tests: one that waits). */
    HttpTransport(XnioWorker worker, ByteBufferPool buffers, Duration connectTimeout, int maxIdlePerOrigin, SSLContext trust,
                  long idleMs, Resolver resolver) {
        this.worker = worker;
        this.resolver = resolver;
        this.lookups = new ThreadPoolExecutor(RESOLVER_THREADS, RESOLVER_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "tollgate-dns");
                    thread.setDaemon(true);
                    return thread;
                });
        lookups.allowCoreThreadTimeOut(true);
        this.buffers = buffers;
        this.tls = new UndertowXnioSsl(Xnio.getInstance(HttpTransport.class.getClassLoader()), OptionMap.EMPTY, trust);
        this.connectTimeoutMs = connectTimeout.toMillis();
        this.idle = new IdleConnections[worker.getIoThreadCount()];
        for (int i = 0; i < idle.length; i++) {
            XnioIoThread thread = worker.getIoThread(i);
            idle[thread.getNumber()] = new IdleConnections(thread, maxIdlePerOrigin, idleMs);
        }
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no TLS", e);
        }
    }

    @Override
    public UpstreamCall send(UpstreamRequest request, UpstreamHandler handler) {
        XnioIoThread thread = Thread.currentThread() instanceof XnioIoThread current && current.getWorker() == worker
                ? current : worker.getIoThread();
        HttpExchange exchange = new HttpExchange(this, thread, idle[thread.getNumber()], request, handler);
        if (Thread.currentThread() == thread) {
            exchange.start();
        } else {
            thread.execute(exchange::start);
        }
        return exchange;
    }

    /** Opens a connection to {@code uri}'s origin on {@code thread}; {@code opened} hears of it there. */
    void connect(URI uri, XnioIoThread thread, ClientCallback<ClientConnection> opened) {
        URI origin = URI.create(origin(uri));
        Runnable open = () -> UndertowClient.getInstance().connect(opened, origin, thread,
                "https".equals(origin.getScheme()) ? tls : null, buffers, options);
        String host = origin.getHost();
        if (isAddressLiteral(host)) {
            open.run();
            return;
        }
        try {
            lookups.execute(() -> {
                try {
                    resolver.resolve(host);
                } catch (IOException | RuntimeException e) {
                    IOException unknown = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                    thread.execute(() -> opened.failed(unknown));
                    return;
                }
                thread.execute(open);
            });
        } catch (RejectedExecutionException closed) {
            opened.failed(new IOException("the sidecar is stopping"));
        }
    }

    /** An IPv4 or IPv6 address written out needs no lookup. */
    static boolean isAddressLiteral(String host) {
        return host.startsWith("[") || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    ByteBufferPool buffers() {
        return buffers;
    }

    /** {@code scheme://host:port}, the key of the idle pools. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** Closes the idle connections, each on its own thread; exchanges in flight end with their connections. */
    @Override
    public void close() {
        for (int i = 0; i < idle.length; i++) {
            XnioIoThread thread = worker.getIoThread(i);
            thread.execute(idle[thread.getNumber()]::closeAll);
        }
        lookups.shutdownNow();
    }
}
