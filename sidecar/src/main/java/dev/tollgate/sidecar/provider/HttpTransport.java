package dev.tollgate.sidecar.provider;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.cookie.CookieSpecFactory;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP/1.1 to providers with Apache HttpClient (classic): the worker thread serving a request
 * writes to and reads from the provider's connection itself, so no exchange hops between threads.
 * Connections are pooled and kept alive; timeouts are the caller's watchdog calling abort.
 */
public final class HttpTransport implements UpstreamTransport, AutoCloseable {
    /** Headers HttpClient sets itself from the entity and the connection. */
    private static final Set<String> MANAGED = Set.of("content-length", "content-type", "host", "connection", "transfer-encoding");
    private static final InputStream EMPTY = InputStream.nullInputStream();

    private final CloseableHttpClient client;

    public HttpTransport(Duration connectTimeout, int maxConnections) {
        this(connectTimeout, maxConnections, SSLContexts.createDefault());
    }

    /** With the trust of {@code tls} instead of the JDK's default trust store (tests: a private CA). */
    HttpTransport(Duration connectTimeout, int maxConnections, SSLContext tls) {
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
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
                        .setTlsSocketStrategy(ClientTlsStrategyBuilder.create()
                                .setSslContext(tls)
                                .setHostVerificationPolicy(HostnameVerificationPolicy.BUILTIN)
                                .buildClassic())
                        .build())
                .evictIdleConnections(TimeValue.ofSeconds(30))
                // The gateway decides retries itself, and never follows a redirect with a key attached.
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                // Cookies are off; left null, the registry would be built anyway, with the public suffix list.
                .setDefaultCookieSpecRegistry(RegistryBuilder.<CookieSpecFactory>create().build())
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    @Override
    public UpstreamExchange open(UpstreamRequest request) {
        HttpPost post = new HttpPost(request.uri());
        String contentType = "application/json";
        for (var header : request.headers().entrySet()) {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (name.equals("content-type")) {
                contentType = header.getValue();
            } else if (!MANAGED.contains(name)) {
                post.addHeader(header.getKey(), header.getValue());
            }
        }
        post.setEntity(new ByteArrayEntity(request.body(), org.apache.hc.core5.http.ContentType.parse(contentType)));
        return new Exchange(post);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    private final class Exchange implements UpstreamExchange {
        private final HttpPost post;

        Exchange(HttpPost post) {
            this.post = post;
        }

        @Override
        public UpstreamResponse send() throws IOException {
            return new Response(post, client.executeOpen(null, post, null));
        }

        @Override
        public void abort() {
            post.cancel();
        }
    }

    private static final class Response implements UpstreamResponse {
        private final HttpPost post;
        private final ClassicHttpResponse response;
        private final EndAwareStream body;

        Response(HttpPost post, ClassicHttpResponse response) throws IOException {
            this.post = post;
            this.response = response;
            HttpEntity entity = response.getEntity();
            // Each getContent() wraps the stream anew; take it once.
            this.body = new EndAwareStream(entity == null ? EMPTY : entity.getContent());
        }

        @Override
        public int status() {
            return response.getCode();
        }

        @Override
        public Optional<String> header(String name) {
            Header header = response.getFirstHeader(name);
            return header == null ? Optional.empty() : Optional.of(header.getValue());
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public void close() {
            if (!body.ended) {
                // Closing would read the rest of a stream nobody wants (a client gone, a timeout): drop it.
                post.cancel();
            }
            try {
                response.close();
            } catch (IOException ignored) {
                // Closing releases or drops the connection; there is nothing left to report.
            }
        }
    }

    /** Remembers whether the body was read to its end. */
    private static final class EndAwareStream extends java.io.FilterInputStream {
        private volatile boolean ended;

        EndAwareStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            ended |= n < 0;
            return n;
        }
    }
}
