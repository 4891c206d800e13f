package dev.tollgate.sidecar.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.provider.HttpTransport;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.HeldUpstream;
import dev.tollgate.sidecar.testing.IoThreads;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's own OTLP span exporter sending through {@link OtlpSender} on the sidecar's transport, to a
 * collector on 127.0.0.1 (the network edge) that accepts, refuses, rejects or never answers.
 */
class OtlpSenderTest {
    private static final RetryPolicy QUICK_RETRIES = RetryPolicy.builder().setMaxAttempts(3)
            .setInitialBackoff(Duration.ofMillis(20)).setMaxBackoff(Duration.ofMillis(50)).build();

    private final IoThreads io = new IoThreads(1);
    private final HttpTransport http = new HttpTransport(io.worker(), io.buffers(), Duration.ofSeconds(2), 8);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        http.close();
        io.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void spansArriveAsOtlpProtobufWithTheConfiguredHeadersOverOneKeptConnection() throws Exception {
        FakeUpstream collector = collector();
        collector.always(Reply.raw(200, "application/x-protobuf", ""));
        OtlpHttpSpanExporter exporter = exporter(collector.root(), Duration.ofSeconds(5))
                .addHeader("Authorization", "Bearer collector-key").build();

        assertThat(export(exporter, span("first")).isSuccess()).isTrue();
        assertThat(export(exporter, span("second")).isSuccess()).isTrue();

        assertThat(collector.received()).hasSize(2);
        FakeUpstream.Received last = collector.last();
        assertThat(last.uri()).isEqualTo("/v1/traces");
        assertThat(last.header("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(last.header("Authorization")).isEqualTo("Bearer collector-key");
        assertThat(last.body()).contains("second").doesNotContain("first"); // protobuf strings are UTF-8
        assertThat(collector.received()).extracting(FakeUpstream.Received::clientPort)
                .containsOnly(collector.received().get(0).clientPort());
    }

    @Test
    void aCollectorAnswering503IsTriedAgainAfterABackoff() throws Exception {
        FakeUpstream collector = collector();
        collector.enqueue(Reply.raw(503, "text/plain", "busy"), Reply.raw(200, "application/x-protobuf", ""));

        assertThat(export(exporter(collector.root(), Duration.ofSeconds(5)).build(), span("retried")).isSuccess()).isTrue();
        assertThat(collector.received()).hasSize(2);
    }

    @Test
    void aRejectedExportIsNotTriedAgain() throws Exception {
        FakeUpstream collector = collector();
        collector.always(Reply.raw(400, "text/plain", "bad request"));

        assertThat(export(exporter(collector.root(), Duration.ofSeconds(5)).build(), span("rejected")).isSuccess()).isFalse();
        assertThat(collector.received()).hasSize(1);
    }

    @Test
    void aCollectorThatNeverAnswersFailsTheExportAtItsTimeoutAndLosesItsConnection() throws Exception {
        HeldUpstream collector = new HeldUpstream();
        closing.add(collector);
        String root = collector.provider("c").baseUrl().replace("/v1", "");
        long started = System.nanoTime();

        CompletableResultCode result = export(exporter(root, Duration.ofMillis(300)).build(), span("unanswered"));

        assertThat(result.isSuccess()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 3_000L);
        assertThat(collector.awaitClosedWhileHeld(5)).isTrue();
    }

    private FakeUpstream collector() {
        FakeUpstream collector = FakeUpstream.start();
        closing.add(collector);
        return collector;
    }

    private io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder exporter(String root, Duration timeout) {
        return OtlpHttpSpanExporter.builder().setEndpoint(root + "/v1/traces").setTimeout(timeout)
                .setRetryPolicy(QUICK_RETRIES).setComponentLoader(OtlpSender.loaderOver(http));
    }

    private static CompletableResultCode export(OtlpHttpSpanExporter exporter, SpanData span) {
        return exporter.export(List.of(span)).join(10, TimeUnit.SECONDS);
    }

    /** An ended span of the SDK's own making. */
    private static SpanData span(String name) {
        List<SpanData> ended = new ArrayList<>();
        try (SdkTracerProvider tracers = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                ended.add(span.toSpanData());
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        }).build()) {
            tracers.get("test").spanBuilder(name).startSpan().end();
        }
        return ended.get(0);
    }
}
