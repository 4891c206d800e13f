package dev.tollgate.bench;

import io.undertow.Undertow;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Flow;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.reactor.IOReactorConfig;

/**
 * The smallest proxy that relays a chat request and its streamed answer on Undertow's IO
 * threads, with one of the upstream HTTP clients the sidecar could use, so their cost can be
 * compared under the same load: Undertow's own client (its {@code ProxyHandler}, on the same
 * XNIO IO thread), Apache HttpClient 5's async client, the JDK's HttpClient. Nothing else: no
 * parsing, no metering. Run as its own process: {@code CandidateProxy KIND PORT UPSTREAM_PORT}.
 */
public final class CandidateProxy {
    /** The candidates, by the name the report gives them. */
    static final List<String> KINDS = List.of("undertow", "apache5", "jdk");
    private static final int CONNECTIONS = 4096;

    private CandidateProxy() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        URI upstream = URI.create("http://127.0.0.1:" + args[2]);
        HttpHandler handler = switch (kind) {
            case "undertow" -> ProxyHandler.builder()
                    // The pool's sizes are read when the host is added: set them first.
                    .setProxyClient(new LoadBalancingProxyClient().setConnectionsPerThread(CONNECTIONS)
                            .setSoftMaxConnectionsPerThread(CONNECTIONS).setMaxQueueSize(CONNECTIONS).addHost(upstream))
                    .setMaxRequestTime(-1).build();
            case "apache5" -> apache(upstream);
            case "jdk" -> jdk(upstream);
            default -> throw new IllegalArgumentException("unknown candidate " + kind);
        };
        Undertow.builder().addHttpListener(port, "127.0.0.1").setIoThreads(2).setWorkerThreads(4)
                .setHandler(handler).build().start();
        System.out.println(kind + " candidate proxy listening on 127.0.0.1:" + port);
    }

    /** Apache HttpClient 5 async: one IO reactor thread, a pool as large as the load. */
    private static HttpHandler apache(URI upstream) {
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(CONNECTIONS).setMaxConnPerRoute(CONNECTIONS).build())
                .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
                .build();
        client.start();
        return exchange -> exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            Relay relay = new Relay(ex);
            ex.dispatch(SameThreadExecutor.INSTANCE, () -> client.execute(
                    AsyncRequestBuilder.post(upstream.resolve(ex.getRequestPath()))
                            .setEntity(AsyncEntityProducers.create(body, ContentType.APPLICATION_JSON)).build(),
                    new AbstractBinResponseConsumer<Void>() {
                        @Override
                        protected void start(org.apache.hc.core5.http.HttpResponse response, ContentType type) {
                            relay.head(response.getCode(), type == null ? null : type.toString());
                        }

                        @Override
                        protected int capacityIncrement() {
                            return 64 * 1024;
                        }

                        @Override
                        protected void data(ByteBuffer src, boolean endOfStream) {
                            ByteBuffer copy = ByteBuffer.allocate(src.remaining()).put(src).flip();
                            relay.offer(copy);
                        }

                        @Override
                        protected Void buildResult() {
                            return null;
                        }

                        @Override
                        public void releaseResources() {
                        }
                    }, new FutureCallback<Void>() {
                        @Override
                        public void completed(Void result) {
                            relay.end();
                        }

                        @Override
                        public void failed(Exception e) {
                            relay.fail();
                        }

                        @Override
                        public void cancelled() {
                            relay.fail();
                        }
                    }));
        });
    }

    /** The JDK's HttpClient, its answer as a Flow publisher of buffers. */
    private static HttpHandler jdk(URI upstream) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return exchange -> exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            Relay relay = new Relay(ex);
            ex.dispatch(SameThreadExecutor.INSTANCE, () -> client.sendAsync(
                    HttpRequest.newBuilder(upstream.resolve(ex.getRequestPath()))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofPublisher())
                    .whenComplete((response, failure) -> {
                        if (failure != null) {
                            relay.fail();
                            return;
                        }
                        relay.head(response.statusCode(), response.headers().firstValue("content-type").orElse(null));
                        response.body().subscribe(new Flow.Subscriber<List<ByteBuffer>>() {
                            @Override
                            public void onSubscribe(Flow.Subscription subscription) {
                                subscription.request(Long.MAX_VALUE);
                            }

                            @Override
                            public void onNext(List<ByteBuffer> buffers) {
                                buffers.forEach(relay::offer);
                            }

                            @Override
                            public void onError(Throwable e) {
                                relay.fail();
                            }

                            @Override
                            public void onComplete() {
                                relay.end();
                            }
                        });
                    }));
        });
    }

    /** The answer to the client, written on the exchange's IO thread in order, one send at a time. */
    private static final class Relay {
        private final HttpServerExchange exchange;
        private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        private boolean sending;
        private boolean ended;

        Relay(HttpServerExchange exchange) {
            this.exchange = exchange;
        }

        void head(int status, String contentType) {
            exchange.getIoThread().execute(() -> {
                exchange.setStatusCode(status);
                if (contentType != null) {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
                }
            });
        }

        void offer(ByteBuffer bytes) {
            exchange.getIoThread().execute(() -> {
                queue.add(bytes);
                pump();
            });
        }

        void end() {
            exchange.getIoThread().execute(() -> {
                ended = true;
                pump();
            });
        }

        void fail() {
            exchange.getIoThread().execute(() -> {
                if (!exchange.isResponseStarted()) {
                    exchange.setStatusCode(502);
                }
                exchange.endExchange();
            });
        }

        private void pump() {
            if (sending) {
                return;
            }
            ByteBuffer next = queue.poll();
            if (next == null) {
                if (ended) {
                    exchange.endExchange();
                }
                return;
            }
            sending = true;
            exchange.getResponseSender().send(next, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender sender) {
                    sending = false;
                    pump();
                }

                @Override
                public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                    ex.endExchange();
                }
            });
        }
    }
}
