package dev.tollgate.sidecar.metering;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON form of a {@link UsageRecord}: one object on one line, fields in a fixed order, nulls
 * left out. Written with Jackson's streaming generator, which escapes every control character, so
 * no value can break a line.
 */
public final class UsageLine {
    private static final JsonFactory JSON = new JsonFactory();
    /** Always milliseconds, so every line's time has the same shape. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private UsageLine() {
    }

    /** UTF-8 JSON followed by '\n'. */
    public static byte[] toJson(UsageRecord r) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(640);
        try (JsonGenerator g = JSON.createGenerator(line)) {
            g.writeStartObject();
            g.writeStringField("time", TIME.format(r.time()));
            optional(g, "requestId", r.requestId());
            optional(g, "namespace", r.namespace());
            optional(g, "pod", r.pod());
            optional(g, "workload", r.workload());
            optional(g, "route", r.route());
            optional(g, "model", r.model());
            optional(g, "upstreamModel", r.upstreamModel());
            optional(g, "provider", r.provider());
            optional(g, "providerType", r.providerType());
            optional(g, "spendKey", r.spendKey());
            optional(g, "feature", r.feature());
            optional(g, "user", r.user());
            g.writeObjectFieldStart("tokens");
            g.writeNumberField("input", r.tokens().input());
            g.writeNumberField("cachedInput", r.tokens().cachedInput());
            g.writeNumberField("cacheWrite", r.tokens().cacheWrite());
            g.writeNumberField("output", r.tokens().output());
            g.writeNumberField("reasoning", r.tokens().reasoning());
            g.writeEndObject();
            g.writeStringField("cost", Money.formatUsdExact(r.costMicros()));
            g.writeNumberField("costMicros", r.costMicros());
            g.writeBooleanField("priced", r.priced());
            g.writeNumberField("latencyMs", r.latencyMs());
            if (r.ttftMs() != null) {
                g.writeNumberField("ttftMs", r.ttftMs());
            }
            g.writeNumberField("attempts", r.attempts());
            g.writeNumberField("status", r.status());
            g.writeBooleanField("streamed", r.streamed());
            optional(g, "error", r.error());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory stream does not fail
        }
        line.write('\n');
        return line.toByteArray();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
