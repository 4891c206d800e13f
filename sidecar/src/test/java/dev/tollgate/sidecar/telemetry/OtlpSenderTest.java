package dev.tollgate.sidecar.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.provider.HttpTransport;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.HeldUpstream;
import dev.tollgate.sidecar.testing.IoThreads;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spans ended on the SDK, exported by its own OTLP exporter sending through {@link OtlpSender} on the
 * sidecar's transport, to a collector on 127.0.0.1 (the network edge) that accepts, refuses, rejects or
 * never answers.
 */
class OtlpSenderTest {
    private static final RetryPolicy QUICK_RETRIES = RetryPolicy.builder().setMaxAttempts(3)
            .setInitialBackoff(Duration.ofMillis(20)).setMaxBackoff(Duration.ofMillis(50)).build();

    private final IoThreads io = new IoThreads(1);
    private final HttpTransport http = new HttpTransport(io.worker(), io.buffers(), Duration.ofSeconds(2), 8);

    @AfterEach
    void stop() {
        http.close();
        io.close();
    }

    @Test
    void spansArriveAsOtlpProtobufWithTheConfiguredHeadersOverOneKeptConnection() {
        try (FakeUpstream collector = FakeUpstream.start();
             SdkTracerProvider tracing = tracing(exporter(collector.root(), Duration.ofSeconds(5))
                     .addHeader("Authorization", "Bearer collector-key"))) {
            collector.always(Reply.raw(200, "application/x-protobuf", ""));

            assertThat(send(tracing, "first").isSuccess()).isTrue();
            assertThat(send(tracing, "second").isSuccess()).isTrue();

            assertThat(collector.received()).hasSize(2);
            FakeUpstream.Received last = collector.last();
            assertThat(last.uri()).isEqualTo("/v1/traces");
            assertThat(last.header("Content-Type")).isEqualTo("application/x-protobuf");
            assertThat(last.header("Authorization")).isEqualTo("Bearer collector-key");
            assertThat(last.body()).contains("second").doesNotContain("first"); // protobuf strings are UTF-8
            assertThat(collector.received()).extracting(FakeUpstream.Received::clientPort)
                    .containsOnly(collector.received().get(0).clientPort());
        }
    }

    @Test
    void aCollectorAnswering503IsTriedAgainAfterABackoff() {
        try (FakeUpstream collector = FakeUpstream.start();
             SdkTracerProvider tracing = tracing(exporter(collector.root(), Duration.ofSeconds(5)))) {
            collector.enqueue(Reply.raw(503, "text/plain", "busy"), Reply.raw(200, "application/x-protobuf", ""));

            assertThat(send(tracing, "retried").isSuccess()).isTrue();
            assertThat(collector.received()).hasSize(2);
        }
    }

    @Test
    void aRejectedExportIsNotTriedAgain() {
        try (FakeUpstream collector = FakeUpstream.start();
             SdkTracerProvider tracing = tracing(exporter(collector.root(), Duration.ofSeconds(5)))) {
            collector.always(Reply.raw(400, "text/plain", "bad request"));

            assertThat(send(tracing, "rejected").isSuccess()).isFalse();
            assertThat(collector.received()).hasSize(1);
        }
    }

    @Test
    void aCollectorThatNeverAnswersFailsTheExportAtItsTimeoutAndLosesItsConnection() throws Exception {
        try (HeldUpstream collector = new HeldUpstream();
             SdkTracerProvider tracing = tracing(exporter(collector.provider("c").baseUrl().replace("/v1", ""),
                     Duration.ofMillis(300)))) {
            long started = System.nanoTime();

            CompletableResultCode result = send(tracing, "unanswered");

            assertThat(result.isSuccess()).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 3_000L);
            assertThat(collector.awaitClosedWhileHeld(5)).isTrue();
        }
    }

    private OtlpHttpSpanExporterBuilder exporter(String root, Duration timeout) {
        return OtlpHttpSpanExporter.builder().setEndpoint(root + "/v1/traces").setTimeout(timeout)
                .setRetryPolicy(QUICK_RETRIES).setComponentLoader(OtlpSender.loaderOver(http));
    }

    /** Each span exported as it ends. */
    private static SdkTracerProvider tracing(OtlpHttpSpanExporterBuilder exporter) {
        return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter.build())).build();
    }

    /** Ends a span and waits for its export's outcome. */
    private static CompletableResultCode send(SdkTracerProvider tracing, String name) {
        tracing.get("test").spanBuilder(name).startSpan().end();
        return tracing.forceFlush().join(10, TimeUnit.SECONDS);
    }
}
