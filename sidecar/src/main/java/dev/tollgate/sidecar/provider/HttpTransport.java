package dev.tollgate.sidecar.provider;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.cookie.CookieSpecFactory;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP/1.1 to providers with Apache HttpClient's async client: {@value #IO_THREADS} I/O reactor
 * thread serves every exchange, so a slow provider costs a socket, not a thread. Connections are
 * pooled and kept alive per route; timeouts are the caller's alarms calling cancel. Reading is
 * paced by the caller: {@link UpstreamCall#pause()} stops crediting the connection's input window
 * (64 KiB), so the reactor stops reading that socket and the provider's sends block on TCP.
 */
public final class HttpTransport implements UpstreamTransport, AutoCloseable {
    /** One reactor thread: an exchange's work is parsing and copying, far below one core (docs/benchmark.md). */
    static final int IO_THREADS = 1;
    /** How long a resumed stream may wait for the reactor to read again (its select's timeout; default 1 s). */
    static final long RESUME_LATENCY_MS = 20;
    /** Headers HttpClient sets itself from the entity and the connection. */
    private static final Set<String> MANAGED = Set.of("content-length", "content-type", "host", "connection", "transfer-encoding");

    private final CloseableHttpAsyncClient client;

    public HttpTransport(Duration connectTimeout, int maxConnections) {
        this(connectTimeout, maxConnections, SSLContexts.createDefault());
    }

    /** With the trust of {@code tls} instead of the JDK's default trust store (tests: a private CA). */
    HttpTransport(Duration connectTimeout, int maxConnections, SSLContext tls) {
        this.client = HttpAsyncClients.custom()
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(IO_THREADS)
                        // Resuming a paused stream changes the reactor's interest from another thread without waking
                        // its select: the reactor sees it at its next wake-up, at most this long after.
                        .setSelectInterval(TimeValue.ofMilliseconds(RESUME_LATENCY_MS)).build())
                .setThreadFactory(new DefaultThreadFactory("tollgate-upstream", true))
                // One connection per stream: a paused stream pauses only its own socket.
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                // A pooled connection idle this long is checked before reuse: providers close idle ones.
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        // Host names checked by the JDK's own TLS (HTTPS endpoint identification, with its
                        // public-suffix rule for wildcards), as HttpsURLConnection does: HttpClient's default
                        // verifier would parse HttpClient's own public suffix list at startup and keep it (1.2 MB of heap).
                        .setTlsStrategy(new HostCheckingTls(tls))
                        .build())
                .evictIdleConnections(TimeValue.ofSeconds(30))
                // The gateway decides retries itself, and never follows a redirect with a key attached.
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                // Cookies are off; left null, the registry would be built anyway, with the public suffix list.
                .setDefaultCookieSpecRegistry(RegistryBuilder.<CookieSpecFactory>create().build())
                .disableAuthCaching()
                .build();
        client.start();
    }

    /**
     * TLS with the JDK's host name check. HttpClient 5.5's async strategy sets the check on the engine's
     * parameters after it applied them, so the engine would never check: it is set here, on the engine.
     */
    private static final class HostCheckingTls extends DefaultClientTlsStrategy {
        HostCheckingTls(SSLContext tls) {
            super(tls, HostnameVerificationPolicy.BUILTIN, null);
        }

        @Override
        protected void initializeEngine(SSLEngine engine) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
    }

    @Override
    public UpstreamCall send(UpstreamRequest request, UpstreamHandler handler) {
        AsyncRequestBuilder post = AsyncRequestBuilder.post(request.uri());
        String contentType = "application/json";
        for (var header : request.headers().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-type")) {
                contentType = header.getValue();
            } else if (!MANAGED.contains(name)) {
                post.addHeader(header.getKey(), header.getValue());
            }
        }
        post.setEntity(AsyncEntityProducers.create(request.body(), ContentType.parse(contentType)));
        Exchange exchange = new Exchange(handler);
        exchange.start(post.build());
        return exchange;
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }

    /** One exchange: forwards HttpClient's callbacks to the handler and paces reading by the input window. */
    private final class Exchange implements AsyncResponseConsumer<Void>, UpstreamCall {
        private final UpstreamHandler handler;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile Future<Void> future;
        private volatile boolean cancelled;
        /** The exchange's own completion, once the body ended. */
        private FutureCallback<Void> result;
        // Guarded by this: the window HttpClient lends, and the bytes read but not yet given back to it.
        private CapacityChannel window;
        private int uncredited;
        private boolean paused;

        Exchange(UpstreamHandler handler) {
            this.handler = handler;
        }

        void start(AsyncRequestProducer producer) {
            future = client.execute(producer, this, null, HttpClientContext.create(), new FutureCallback<>() {
                @Override
                public void completed(Void result) {
                    // The end was delivered by streamEnd.
                }

                @Override
                public void failed(Exception cause) {
                    fail(cause);
                }

                @Override
                public void cancelled() {
                    fail(new IOException("cancelled"));
                }
            });
            if (cancelled) {
                future.cancel(true);
            }
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                    FutureCallback<Void> result) {
            Map<String, String> headers = new HashMap<>();
            for (Header header : response.getHeaders()) {
                headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
            }
            if (!cancelled) {
                handler.onHead(new UpstreamHead(response.getCode(), headers));
            }
            if (entity == null) {
                end();
                result.completed(null);
            } else {
                this.result = result;
            }
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) {
            // 1xx: nothing to relay.
        }

        @Override
        public void updateCapacity(CapacityChannel channel) throws IOException {
            int credit;
            synchronized (this) {
                window = channel;
                if (paused) {
                    return;
                }
                credit = uncredited;
                uncredited = 0;
            }
            if (credit > 0) {
                channel.update(credit);
            }
        }

        @Override
        public void consume(ByteBuffer data) throws IOException {
            if (cancelled) {
                // Cancelling the future may leave the connection open; failing the exchange closes it.
                throw new IOException("cancelled");
            }
            int n = data.remaining();
            if (!cancelled && !over.get()) {
                handler.onData(data);
            }
            synchronized (this) {
                uncredited += n;
            }
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) {
            end();
            result.completed(null);
        }

        @Override
        public void failed(Exception cause) {
            fail(cause);
        }

        @Override
        public void releaseResources() {
            // Nothing held beyond the exchange itself.
        }

        private void end() {
            if (over.compareAndSet(false, true) && !cancelled) {
                handler.onEnd();
            }
        }

        private void fail(Exception cause) {
            if (over.compareAndSet(false, true) && !cancelled) {
                handler.onFailure(cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause));
            }
        }

        @Override
        public synchronized void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            CapacityChannel channel;
            int credit;
            synchronized (this) {
                paused = false;
                channel = window;
                if (channel == null) {
                    return; // the window was never used up: nothing to give back
                }
                credit = uncredited;
                uncredited = 0;
            }
            if (credit > 0) {
                try {
                    channel.update(credit);
                } catch (IOException closed) {
                    // The connection is gone; its failure reaches the handler on its own.
                }
            }
        }

        /**
         * Cancelling HttpClient's future fails the exchange but may leave its connection open; the next bytes
         * then fail it in {@link #consume}, which closes it. A paused stream reads again so that they come.
         */
        @Override
        public void cancel() {
            cancelled = true;
            Future<Void> started = future;
            if (started != null) {
                started.cancel(true);
            }
            resume();
        }
    }
}
