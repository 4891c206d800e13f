package dev.tollgate.operator.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollgate.operator.lease.LeaseMetrics;
import dev.tollgate.operator.lease.LeaseWriter;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.wire.LeaseAnswer;
import dev.tollgate.sidecar.wire.LeaseCall;
import dev.tollgate.sidecar.api.ApiError;
import dev.tollgate.sidecar.server.ErrorFormat;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API over HTTPS, served by every operator replica:
 * {@code GET /v1/snapshot?version=V} answers the caller's namespace snapshot at once when its
 * version differs from V, else waits for the next one (304 after the long-poll timeout);
 * {@code POST /v1/leases} applies a sidecar's {@link LeaseCall} and answers a {@link LeaseAnswer};
 * {@code GET /healthz}. The caller's namespace (and, for leases, its pod) comes from its
 * ServiceAccount token, never from the request, so a sidecar only ever sees its own namespace.
 */
public final class ControlApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlApiServer.class);
    private static final String BEARER = "Bearer ";
    /** A call carries one report per key a sidecar holds: far below this. */
    static final int MAX_CALL_BYTES = 1 << 20;
    static final int MAX_REPORTS = 10_000;

    private final ControlApiSettings settings;
    private final TokenReviewAuthenticator authenticator;
    private final SnapshotStore store;
    private final ControlApiMetrics metrics;
    private final LeaseWriter leases;
    private final LeaseMetrics leaseMetrics;
    private final Undertow server;

    private ControlApiServer(ControlApiSettings settings, SSLContext tls, TokenReviewAuthenticator authenticator, SnapshotStore store,
            ControlApiMetrics metrics, LeaseWriter leases, LeaseMetrics leaseMetrics) {
        this.settings = settings;
        this.authenticator = authenticator;
        this.store = store;
        this.metrics = metrics;
        this.leases = leases;
        this.leaseMetrics = leaseMetrics;
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
            SnapshotStore store, ControlApiMetrics metrics, LeaseWriter leases, LeaseMetrics leaseMetrics) {
        return new ControlApiServer(settings, tls, authenticator, store, metrics, leases, leaseMetrics);
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
        if (path.equals("/v1/leases")) {
            handleLeases(exchange);
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
        // The wait that follows the TokenReview holds no thread (a dispatched Runnable leaves the
        // exchange open until something answers it).
        authenticated(exchange, caller -> waitForVersion(exchange, caller.namespace(), known));
    }

    /**
     * Reads the body without blocking, then, for a well-formed call from an authenticated pod, hands the
     * reports to the lease writer and answers when its write is done: no thread waits on the API server's write.
     */
    private void handleLeases(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            ErrorFormat.OPENAI.send(exchange, new ApiError(405, "invalid_request_error", "method_not_allowed", "Use POST /v1/leases."));
            return;
        }
        exchange.setMaxEntitySize(MAX_CALL_BYTES);
        // Parsed only for a caller the API server vouched for, and on the worker thread that asked it.
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> authenticated(exchange, caller -> {
            LeaseCall call;
            try {
                call = leaseCall(body);
            } catch (ApiError e) {
                ErrorFormat.OPENAI.send(exchange, e);
                return;
            }
            lease(exchange, caller, call);
        }), (ex, e) -> ErrorFormat.OPENAI.send(exchange, ApiError.badRequest("invalid_lease_call",
                "The body cannot be read (at most " + MAX_CALL_BYTES + " bytes).")));
    }

    private void lease(HttpServerExchange exchange, PodIdentity caller, LeaseCall call) {
        if (caller.pod() == null) {
            ErrorFormat.OPENAI.send(exchange, new ApiError(403, "permission_error", "no_pod",
                    "A lease is held by a pod; this token names none (use the pod's projected ServiceAccount token)."));
            return;
        }
        leases.lease(caller.namespace(), caller.pod(), call.leases()).whenComplete((leased, failure) ->
                exchange.getIoThread().execute(() -> {
                    if (failure != null) {
                        LOG.warn("lease call of {}/{} failed: {}", caller.namespace(), caller.pod(), failure.toString());
                        ErrorFormat.OPENAI.send(exchange, new ApiError(503, "api_error", "lease_unavailable",
                                "The lease cannot be written right now; try again."));
                        return;
                    }
                    leaseMetrics.count(caller.namespace(), leased);
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    exchange.getResponseSender().send(ByteBuffer.wrap(json(new LeaseAnswer(leased.grants()))));
                }));
    }

    private static LeaseCall leaseCall(byte[] body) {
        LeaseCall call;
        try {
            call = ConfigJson.MAPPER.readValue(body, LeaseCall.class);
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_lease_call", "The body is not a lease call {\"leases\": [...]}: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : "unreadable") + ".");
        }
        if (call == null || call.leases().stream().anyMatch(Objects::isNull)) {
            throw ApiError.badRequest("invalid_lease_call", "Every entry of 'leases' must be a lease report.");
        }
        if (call.leases().size() > MAX_REPORTS) {
            throw ApiError.badRequest("invalid_lease_call", "At most " + MAX_REPORTS + " reports per call.");
        }
        return call;
    }

    private static byte[] json(Object value) {
        try {
            return ConfigJson.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code then} with the caller's identity on a worker thread (a TokenReview is a blocking
     * call), or answers 401/503 itself.
     */
    private void authenticated(HttpServerExchange exchange, Consumer<PodIdentity> then) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        String token = authorization != null && authorization.startsWith(BEARER) ? authorization.substring(BEARER.length()).trim() : null;
        exchange.dispatch(() -> {
            try {
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
                then.accept(caller);
            } catch (RuntimeException e) {
                LOG.warn("control API request failed", e);
                ErrorFormat.OPENAI.send(exchange, new ApiError(500, "api_error", "internal_error", "Internal error."));
            }
        });
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
