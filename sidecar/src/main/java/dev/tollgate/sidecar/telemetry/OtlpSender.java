package dev.tollgate.sidecar.telemetry;

import dev.tollgate.sidecar.provider.BoundedBody;
import dev.tollgate.sidecar.provider.UpstreamCall;
import dev.tollgate.sidecar.provider.UpstreamHandler;
import dev.tollgate.sidecar.provider.UpstreamHead;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.UpstreamTransport;
import dev.tollgate.sidecar.timing.Watchdog;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * OTLP requests over the sidecar's own HTTP client ({@link UpstreamTransport}: Undertow's, on the
 * server's IO threads, with its kept-alive connections), in place of the JDK HttpClient sender, whose
 * selector thread, executor and hand-offs between them cost more CPU per exported request than the
 * export's encoding (docs/benchmark.md). The export timeout bounds all attempts together; the
 * exporter's retry policy applies to what OTLP says may be retried: 429, 502, 503, 504, or no answer.
 */
final class OtlpSender implements HttpSender {
    private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);
    /** A collector's answer is a small protobuf status; a longer one is not kept. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final UpstreamTransport transport;
    private final URI endpoint;
    private final String contentType;
    private final Supplier<Map<String, List<String>>> headers;
    private final long timeoutNanos;
    private final RetryPolicy retry; // null: one attempt

    private OtlpSender(UpstreamTransport transport, HttpSenderConfig config) {
        if (config.getCompressor() != null) {
            throw new IllegalArgumentException("OTLP compression is not supported by the sidecar's sender");
        }
        this.transport = transport;
        this.endpoint = config.getEndpoint();
        this.contentType = config.getContentType();
        this.headers = config.getHeadersSupplier();
        this.timeoutNanos = config.getTimeout().toNanos();
        this.retry = config.getRetryPolicy();
    }

    /** What the OTLP exporters load their sender from: this sender, over {@code transport}. */
    static ComponentLoader loaderOver(UpstreamTransport transport) {
        HttpSenderProvider provider = config -> new OtlpSender(transport, config);
        ComponentLoader others = ComponentLoader.forClassLoader(OtlpSender.class.getClassLoader());
        return new ComponentLoader() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Iterable<T> load(Class<T> type) {
                return type == HttpSenderProvider.class ? List.of((T) provider) : others.load(type);
            }
        };
    }

    @Override
    public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(message.getContentLength(), 0));
        try {
            message.writeMessage(body);
        } catch (IOException e) {
            onError.accept(e);
            return;
        }
        Map<String, String> head = new HashMap<>();
        headers.get().forEach((name, values) -> head.put(name, String.join(",", values)));
        head.put("Content-Type", contentType);
        new Delivery(new UpstreamRequest(endpoint, head, body.toByteArray()), onResponse, onError).attempt(1);
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess(); // the transport belongs to the sidecar
    }

    /** One export's attempts. */
    private final class Delivery {
        private final UpstreamRequest request;
        private final Consumer<HttpResponse> onResponse;
        private final Consumer<Throwable> onError;
        private final long deadline = System.nanoTime() + timeoutNanos;

        Delivery(UpstreamRequest request, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
            this.request = request;
            this.onResponse = onResponse;
            this.onError = onError;
        }

        void attempt(int number) {
            new Attempt(number).start();
        }

        /** Tries again after the policy's backoff if it allows and the deadline leaves time; reports the failure otherwise. */
        void failed(int number, HttpResponse answer, IOException cause) {
            long backoffMs = backoffMs(number);
            boolean retryable = answer == null || RETRYABLE.contains(answer.getStatusCode());
            if (retryable && retry != null && number < retry.getMaxAttempts()
                    && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) < deadline) {
                Watchdog.arm(backoffMs, () -> attempt(number + 1));
            } else if (answer != null) {
                onResponse.accept(answer);
            } else {
                onError.accept(cause);
            }
        }

        /** Exponential with full jitter, as the SDK's own senders wait. */
        private long backoffMs(int number) {
            if (retry == null) {
                return 0;
            }
            double ceiling = Math.min(retry.getInitialBackoff().toMillis() * Math.pow(retry.getBackoffMultiplier(), number - 1),
                    retry.getMaxBackoff().toMillis());
            return ThreadLocalRandom.current().nextLong((long) ceiling + 1);
        }

        /** One request and its answer; the first of answer, failure and timeout settles it. */
        private final class Attempt implements UpstreamHandler {
            private final int number;
            private final AtomicBoolean settled = new AtomicBoolean();
            private final BoundedBody answer = new BoundedBody(MAX_RESPONSE_BYTES, -1);
            private int status;
            private volatile UpstreamCall call;
            private Watchdog.Alarm timeout;

            Attempt(int number) {
                this.number = number;
            }

            void start() {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                timeout = Watchdog.arm(Math.max(left, 1), () -> {
                    if (settled.compareAndSet(false, true)) {
                        UpstreamCall started = call;
                        if (started != null) {
                            started.cancel();
                        }
                        onError.accept(new IOException("the collector did not answer within the export timeout"));
                    }
                });
                UpstreamCall started = transport.send(request, this);
                call = started;
                if (timeout.fired()) {
                    started.cancel(); // the alarm ran before the call existed
                }
            }

            @Override
            public void onHead(UpstreamHead head) {
                status = head.status();
            }

            @Override
            public void onData(ByteBuffer data) {
                answer.add(data);
            }

            @Override
            public void onEnd() {
                if (settle()) {
                    Response response = new Response(status, answer.bytes());
                    if (status / 100 == 2) {
                        onResponse.accept(response);
                    } else {
                        failed(number, response, null);
                    }
                }
            }

            @Override
            public void onFailure(IOException cause) {
                if (settle()) {
                    failed(number, null, cause);
                }
            }

            private boolean settle() {
                if (!settled.compareAndSet(false, true)) {
                    return false;
                }
                timeout.cancel();
                return true;
            }
        }
    }

    private record Response(int statusCode, byte[] responseBody) implements HttpResponse {
        @Override
        public int getStatusCode() {
            return statusCode;
        }

        @Override
        public String getStatusMessage() {
            return "HTTP " + statusCode;
        }

        @Override
        public byte[] getResponseBody() {
            return responseBody;
        }
    }
}
