package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The webhook's HTTPS endpoint: {@code POST /mutate-pods} (AdmissionReview in, AdmissionReview
 * out) and {@code GET /healthz}. Every operator replica serves it.
 */
public final class WebhookServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 9443;
    public static final String MUTATE_PATH = "/mutate-pods";
    /** The API server's own limit on a request body is 3 MiB; a review carries one pod. */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024 + 64 * 1024;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Undertow server;

    private WebhookServer(Undertow server) {
        this.server = server;
    }

    /**
     * Starts listening.
     *
     * @param sslContext the current serving certificate's context, asked on every new connection
     *                   (so rotation needs no restart); return a cached one
     */
    public static WebhookServer start(String host, int port, Supplier<SSLContext> sslContext, AdmissionHandler handler) {
        AdmissionEndpoint endpoint = new AdmissionEndpoint(handler);
        Undertow server = Undertow.builder()
                .addHttpsListener(port, host, new SuppliedSslContext(sslContext),
                        Handlers.routing()
                                .post(MUTATE_PATH, new BlockingHandler(endpoint::handle))
                                .get("/healthz", exchange -> exchange.getResponseSender().send("ok")))
                .setIoThreads(1)
                // A namespace lookup may block a worker; a handful covers a rollout's bursts.
                .setWorkerThreads(8)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) MAX_BODY_BYTES)
                .build();
        server.start();
        return new WebhookServer(server);
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Reads the body on a worker thread, answers the review or a Kubernetes Status for a bad body. */
    private record AdmissionEndpoint(AdmissionHandler handler) {
        void handle(HttpServerExchange exchange) throws IOException {
            byte[] body;
            try (InputStream in = exchange.getInputStream()) {
                body = in.readAllBytes();
            } catch (RequestTooBigException e) {
                reply(exchange, 413, failure(413, "RequestEntityTooLarge", "the body is larger than a review can be"));
                return;
            }
            try {
                reply(exchange, 200, handler.review(new String(body, StandardCharsets.UTF_8)));
            } catch (InvalidReviewException e) {
                reply(exchange, 400, failure(400, "BadRequest", e.getMessage()));
            }
        }

        private static String failure(int code, String reason, String message) {
            Status status = new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason)
                    .withMessage(message).build();
            return SERIALIZATION.asJson(status);
        }

        private static void reply(HttpServerExchange exchange, int code, String json) {
            exchange.setStatusCode(code);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(json, StandardCharsets.UTF_8);
        }
    }
}
