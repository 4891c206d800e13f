package dev.tollgate.operator.control;

import dev.tollgate.sidecar.server.ApiError;
import dev.tollgate.sidecar.server.ErrorFormat;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API over HTTPS, served by every operator replica:
 * {@code GET /v1/snapshot?version=V} answers the caller's namespace snapshot at once when its
 * version differs from V, else waits for the next one (304 after the long-poll timeout);
 * {@code GET /healthz}. The caller's namespace comes from its ServiceAccount token, never from the
 * request, so a sidecar only ever sees its own namespace.
 */
public final class ControlApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlApiServer.class);
    private static final String BEARER = "Bearer ";

    private final ControlApiSettings settings;
    private final TokenReviewAuthenticator authenticator;
    private final SnapshotStore store;
    private final ControlApiMetrics metrics;
    private final Undertow server;

    private ControlApiServer(ControlApiSettings settings, SSLContext tls, TokenReviewAuthenticator authenticator, SnapshotStore store,
            ControlApiMetrics metrics) {
        this.settings = settings;
        this.authenticator = authenticator;
        this.store = store;
        this.metrics = metrics;
        this.server = Undertow.builder()
                .addHttpsListener(settings.port(), settings.host(), tls)
                .setHandler(this::handle)
                .setIoThreads(2)
                // Workers only ask the API server about tokens; waiting sidecars hold no thread.
                .setWorkerThreads(8)
                .build();
        server.start();
    }

    public static ControlApiServer start(ControlApiSettings settings, SSLContext tls, TokenReviewAuthenticator authenticator,
            SnapshotStore store, ControlApiMetrics metrics) {
        return new ControlApiServer(settings, tls, authenticator, store, metrics);
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    private void handle(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        if (path.equals("/healthz")) {
            exchange.getResponseSender().send("ok");
            return;
        }
        if (!path.equals("/v1/snapshot")) {
            ErrorFormat.OPENAI.send(exchange, new ApiError(404, "invalid_request_error", "unknown_url", "Unknown URL " + path + "."));
            return;
        }
        exchange.addExchangeCompleteListener((done, next) -> {
            metrics.answered(done.getStatusCode());
            next.proceed();
        });
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            ErrorFormat.OPENAI.send(exchange, new ApiError(405, "invalid_request_error", "method_not_allowed", "Use GET " + path + "."));
            return;
        }
        Long known;
        try {
            known = knownVersion(exchange);
        } catch (ApiError e) {
            ErrorFormat.OPENAI.send(exchange, e);
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        String token = authorization != null && authorization.startsWith(BEARER) ? authorization.substring(BEARER.length()).trim() : null;
        // The TokenReview is a blocking call: on a worker thread. The wait that follows holds none
        // (a dispatched Runnable leaves the exchange open until something answers it).
        exchange.dispatch(() -> {
            try {
                authenticateThenWait(exchange, token, known);
            } catch (RuntimeException e) {
                LOG.warn("control API request failed", e);
                ErrorFormat.OPENAI.send(exchange, new ApiError(500, "api_error", "internal_error", "Internal error."));
            }
        });
    }

    private void authenticateThenWait(HttpServerExchange exchange, String token, Long known) {
        PodIdentity caller;
        try {
            caller = authenticator.authenticate(token);
        } catch (TokenReviewAuthenticator.InvalidToken e) {
            ErrorFormat.OPENAI.send(exchange, new ApiError(401, "authentication_error", "invalid_token",
                    "Invalid ServiceAccount token: " + e.getMessage() + "."));
            return;
        } catch (KubernetesClientException e) {
            LOG.warn("TokenReview failed: {}", e.getMessage());
            ErrorFormat.OPENAI.send(exchange, new ApiError(503, "api_error", "token_review_unavailable",
                    "The token cannot be checked right now; try again."));
            return;
        }
        waitForVersion(exchange, caller.namespace(), known);
    }

    /**
     * Answers exactly once: the first new version or the timeout (304). A caller that hangs up is
     * noticed at its timeout at the latest: connection close listeners cannot be removed, and one
     * per poll on a kept-alive connection would pile up.
     */
    private void waitForVersion(HttpServerExchange exchange, String namespace, Long known) {
        AtomicBoolean answered = new AtomicBoolean();
        AtomicReference<Runnable> cancel = new AtomicReference<>(() -> { });
        metrics.waitStarted();
        var timeout = exchange.getIoThread().executeAfter(() -> {
            if (answered.compareAndSet(false, true)) {
                metrics.waitEnded();
                cancel.get().run();
                exchange.setStatusCode(StatusCodes.NOT_MODIFIED);
                exchange.endExchange();
            }
        }, settings.longPoll().toMillis(), TimeUnit.MILLISECONDS);
        cancel.set(store.await(namespace, known, published -> exchange.getIoThread().execute(() -> {
            if (answered.compareAndSet(false, true)) {
                metrics.waitEnded();
                timeout.remove();
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseSender().send(ByteBuffer.wrap(published.body()));
            }
        })));
        if (answered.get()) {
            // Timed out before the waiter was registered: nothing may stay behind.
            cancel.get().run();
        }
    }

    private static Long knownVersion(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("version");
        if (values == null || values.isEmpty() || values.peekFirst().isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(values.peekFirst());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid_version", "Query parameter 'version' must be a whole number.");
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
