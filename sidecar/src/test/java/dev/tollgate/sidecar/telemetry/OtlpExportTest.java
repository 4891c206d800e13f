package dev.tollgate.sidecar.telemetry;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.chatRoute;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.key;
import static dev.tollgate.sidecar.testing.Configs.mock;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.google.protobuf.ByteString;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.config.RetryConfig;
import dev.tollgate.sidecar.config.TimeoutConfig;
import dev.tollgate.sidecar.testing.Configs;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import dev.tollgate.sidecar.testing.OtlpReceiver;
import dev.tollgate.sidecar.testing.TestSidecar;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Traces and usage events as an OpenTelemetry Collector receives them from a sidecar serving the OpenAI SDK. */
class OtlpExportTest {
    private static final String TOKEN = "tg_otlpTestToken0123456789abcdefABCDEF";
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";
    private static final String PROMPT = "Say hello";
    private static final String COMPLETION = "Hello! How can I assist you today?";

    private final OtlpReceiver collector = OtlpReceiver.start();
    private FakeUpstream primary;
    private FakeUpstream fallback;
    private TestSidecar sidecar;

    @BeforeEach
    void start() {
        primary = FakeUpstream.start();
        fallback = FakeUpstream.start();
        sidecar = TestSidecar.start(exportingTo(collector.endpoint(), Map.of()), config(
                List.of(openAi("ai/primary", primary), openAi("ai/fallback", fallback)),
                List.of(route("team/chat", List.of("chat"), new RetryConfig(3, RetryConfig.ALL_CLASSES, 10),
                        TimeoutConfig.defaults(), backend("ai/primary", "gpt-4o-mini", 0), backend("ai/fallback", "gpt-4o", 1))),
                List.of(key("team/bot", TOKEN, 5_000_000L, List.of("chat")))));
    }

    @AfterEach
    void stop() {
        sidecar.close();
        primary.close();
        fallback.close();
        collector.close();
    }

    static SidecarSettings exportingTo(String endpoint, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put(TelemetrySettings.ENDPOINT, endpoint);
        return SidecarSettings.defaults().withTelemetry(TelemetrySettings.fromEnv(env));
    }

    private static ChatCompletionCreateParams.Builder hello() {
        return ChatCompletionCreateParams.builder().model("chat").addUserMessage(PROMPT)
                .putAdditionalHeader("traceparent", TRACEPARENT)
                .putAdditionalHeader("x-tollgate-feature", "support-bot")
                .putAdditionalHeader("x-tollgate-user", "customer-42");
    }

    @Test
    void aRequestIsOneServerSpanInTheCallersTraceWithGenAiAttributesExactTokensAndCost() {
        primary.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        sidecar.openAi(TOKEN).chat().completions().create(hello().build());

        Span server = collector.awaitSpans(1, s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).get(0);
        assertThat(hex(server.getTraceId())).isEqualTo(TRACE_ID);
        assertThat(hex(server.getParentSpanId())).isEqualTo(CALLER_SPAN);
        assertThat(server.getName()).isEqualTo("chat chat");
        Map<String, Object> a = attributes(server.getAttributesList());
        assertThat(a).containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.provider.name", "openai-compatible")
                .containsEntry("gen_ai.request.model", "chat")
                .containsEntry("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
                .containsEntry("gen_ai.usage.input_tokens", 19L)
                .containsEntry("gen_ai.usage.output_tokens", 10L)
                .containsEntry("tollgate.route", "team/chat")
                .containsEntry("tollgate.upstream_model", "gpt-4o-mini")
                .containsEntry("tollgate.provider", "ai/primary")
                // gpt-4o-mini: 19×0.15 + 10×0.60 = 8.85 µ$ → 9.
                .containsEntry("tollgate.cost_micros", 9L)
                .containsEntry("tollgate.cost_usd", "0.000009")
                .containsEntry("tollgate.spend_key", "team/bot")
                .containsEntry("tollgate.feature", "support-bot")
                .containsEntry("tollgate.end_user", "customer-42")
                .containsEntry("tollgate.attempts", 1L)
                .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
                .containsEntry("http.response.status_code", 200L);

        Span attempt = collector.awaitSpans(1, s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).get(0);
        assertThat(attempt.getTraceId()).isEqualTo(server.getTraceId());
        assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(attributes(attempt.getAttributesList())).containsEntry("gen_ai.request.model", "gpt-4o-mini")
                .containsEntry("tollgate.attempt.result", "success");
        assertThat(primary.last().header("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + hex(attempt.getSpanId()) + "-01");
        assertNothingSecretExported();
    }

    @Test
    void aFailoverShowsTwoAttemptSpansWithTheFailureOnTheFirst() {
        primary.always(Reply.json(500, Fixtures.read("openai/error-500.json")));
        fallback.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        sidecar.openAi(TOKEN).chat().completions().create(hello().build());

        List<Span> attempts = collector.awaitSpans(2, s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(attempts).hasSize(2);
        attempts.sort((x, y) -> Long.compare(x.getStartTimeUnixNano(), y.getStartTimeUnixNano()));
        assertThat(attempts.get(0).getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(attributes(attempts.get(0).getAttributesList())).containsEntry("tollgate.provider", "ai/primary")
                .containsEntry("error.type", "server-error");
        assertThat(attempts.get(1).getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(attributes(attempts.get(1).getAttributesList())).containsEntry("tollgate.provider", "ai/fallback")
                .containsEntry("gen_ai.request.model", "gpt-4o");
        assertThat(primary.last().header("traceparent")).contains(hex(attempts.get(0).getSpanId()));
        assertThat(fallback.last().header("traceparent")).contains(hex(attempts.get(1).getSpanId()));
        Span server = collector.awaitSpans(1, s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).get(0);
        assertThat(attributes(server.getAttributesList())).containsEntry("tollgate.attempts", 2L)
                // gpt-4o: 19×2.5 + 10×10 = 147.5 µ$ → 148.
                .containsEntry("tollgate.cost_micros", 148L);
        assertNothingSecretExported();
    }

    @Test
    void aStreamedRequestCarriesTimeToFirstToken() {
        primary.enqueue(Reply.sse(Fixtures.read("openai/chat-stream.sse")));

        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = sidecar.openAi(TOKEN).chat().completions().createStreaming(
                hello().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }

        assertThat(text.toString()).isEqualTo("Hello! How can I help?");
        Span server = collector.awaitSpans(1, s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).get(0);
        Map<String, Object> a = attributes(server.getAttributesList());
        double spanSeconds = (server.getEndTimeUnixNano() - server.getStartTimeUnixNano()) / 1e9;
        assertThat(a).containsEntry("tollgate.streamed", true)
                .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
                .containsEntry("gen_ai.usage.input_tokens", 9L)
                .containsEntry("gen_ai.usage.output_tokens", 6L);
        assertThat((Double) a.get("gen_ai.server.time_to_first_token")).isNotNull().isBetween(0.0, spanSeconds);
        assertThat(collector.everything()).doesNotContain("Hello!").doesNotContain(" can I help");
        assertNothingSecretExported();
    }

    @Test
    void whatIsQueuedWhenTheSidecarStopsIsStillExported() {
        FakeUpstream upstream = FakeUpstream.start();
        // Batches that would wait a minute: only the sidecar's stopping sends them.
        TestSidecar stopping = TestSidecar.start(exportingTo(collector.endpoint(), Map.of(TelemetrySettings.SCHEDULE_DELAY,
                "60000")), config(List.of(openAi("ai/primary", upstream)), List.of(route("team/chat", List.of("chat"),
                backend("ai/primary", "gpt-4o-mini", 0))), List.of(key("team/bot", TOKEN, 5_000_000L, List.of("chat")))));
        try {
            upstream.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));
            stopping.openAi(TOKEN).chat().completions().create(hello().build());
            assertThat(collector.spans()).isEmpty();
        } finally {
            stopping.close();
            upstream.close();
        }

        assertThat(collector.spans()).extracting(Span::getKind)
                .containsExactlyInAnyOrder(Span.SpanKind.SPAN_KIND_SERVER, Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(collector.logs()).hasSize(1);
    }

    @Test
    void theUsageEventEqualsTheUsageLineFieldByFieldInTheRequestsSpan() throws Exception {
        primary.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

        sidecar.openAi(TOKEN).chat().completions().create(hello().build());

        LogRecord event = collector.awaitLogs(1).get(0);
        JsonNode line = sidecar.usageLines(1).get(0);
        assertThat(event.getEventName()).isEqualTo(UsageEvents.EVENT_NAME);
        assertThat(event.hasBody()).isFalse();
        Map<String, Object> attributes = attributes(event.getAttributesList());
        Map<String, Object> billing = new HashMap<>();
        attributes.entrySet().removeIf(e -> e.getKey().startsWith("billing.") && billing.put(e.getKey(), e.getValue()) == null);
        assertThat(attributes).isEqualTo(flatten("", line, new HashMap<>()));
        assertThat(billing).isEqualTo(Map.of("billing.customer_id", "customer-42",
                "billing.idempotency_key", line.get("requestId").asText(),
                "billing.quantity.input_tokens", 19L, "billing.quantity.output_tokens", 10L,
                "billing.quantity.cost_micros_usd", 9L));
        Span server = collector.awaitSpans(1, s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).get(0);
        assertThat(event.getTraceId()).isEqualTo(server.getTraceId());
        assertThat(event.getSpanId()).isEqualTo(server.getSpanId());
    }

    @Test
    void aFailedRequestIsAnErrorSpanAndAnEventWithNoCharge() {
        sidecar.post("/v1/chat/completions", chatBody("no-such-model", false), "traceparent", TRACEPARENT);

        Span server = collector.awaitSpans(1, s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).get(0);
        assertThat(hex(server.getTraceId())).isEqualTo(TRACE_ID);
        assertThat(server.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(attributes(server.getAttributesList())).containsEntry("error.type", "model_not_found")
                .containsEntry("http.response.status_code", 404L).containsEntry("tollgate.cost_micros", 0L);
        assertThat(attributes(collector.awaitLogs(1).get(0).getAttributesList())).containsEntry("status", 404L)
                .containsEntry("billing.quantity.cost_micros_usd", 0L);
    }

    @Test
    void withoutAnEndpointNothingIsExportedAndNoTraceContextReachesTheProvider() {
        try (TestSidecar plain = TestSidecar.start(chatRoute(openAi("ai/primary", primary)))) {
            primary.enqueue(Reply.json(200, Fixtures.read("openai/chat-completion.json")));

            HttpResponse<String> response = plain.post("/v1/chat/completions", chatBody("chat", false), "traceparent", TRACEPARENT);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(primary.last().header("traceparent")).isNull();
        }
    }

    private void assertNothingSecretExported() {
        sidecar.usageLines(1);
        collector.awaitLogs(1);
        assertThat(collector.everything()).contains("team/chat")
                .doesNotContain(PROMPT).doesNotContain(COMPLETION).doesNotContain(TOKEN)
                .doesNotContain(Configs.PROVIDER_KEY);
    }

    static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> map = new HashMap<>();
        for (KeyValue kv : list) {
            AnyValue v = kv.getValue();
            map.put(kv.getKey(), switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> v.getIntValue();
                case DOUBLE_VALUE -> v.getDoubleValue();
                case BOOL_VALUE -> v.getBoolValue();
                case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(AnyValue::getStringValue).toList();
                default -> v.toString();
            });
        }
        return map;
    }

    /** The usage line as dotted names, values as the JSON has them. */
    private static Map<String, Object> flatten(String prefix, JsonNode node, Map<String, Object> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                flatten(prefix + f.getKey() + ".", v, into);
            } else {
                into.put(prefix + f.getKey(), v.isBoolean() ? v.booleanValue() : v.isIntegralNumber() ? (Object) v.longValue() : v.asText());
            }
        }
        return into;
    }
}
