package dev.tollgate.sidecar.metering;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON form of a {@link UsageRecord}: one object on one line, fields in a fixed order, nulls
 * left out. Written with Jackson's streaming generator, which escapes every control character, so
 * no value can break a line.
 */
public final class UsageLine {
    private static final JsonFactory JSON = new JsonFactory();
    /** Always milliseconds, so every line's time has the same shape: this, then three digits and 'Z'. */
    private static final DateTimeFormatter TO_SECOND =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
    /**
     * The last second written, formatted: the formatter took a tenth of a line's cost, and a second's
     * text serves every line of that second.
     */
    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }

    private UsageLine() {
    }

    /** UTF-8 JSON followed by '\n'. */
    public static byte[] toJson(UsageRecord r) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(640);
        try (JsonGenerator g = JSON.createGenerator(line)) {
            g.writeStartObject();
            write(r, new JsonFields(g));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory stream does not fail
        }
        line.write('\n');
        return line.toByteArray();
    }

    /** The one place the line's field names and order are spelled. */
    public static void write(UsageRecord r, UsageFields out) {
        out.text("time", time(r.time()));
        optional(out, "requestId", r.requestId());
        optional(out, "namespace", r.namespace());
        optional(out, "pod", r.pod());
        optional(out, "workload", r.workload());
        optional(out, "route", r.route());
        optional(out, "model", r.model());
        optional(out, "upstreamModel", r.upstreamModel());
        optional(out, "provider", r.provider());
        optional(out, "providerType", r.providerType());
        optional(out, "spendKey", r.spendKey());
        optional(out, "feature", r.feature());
        optional(out, "user", r.user());
        out.startGroup("tokens");
        out.number("input", r.tokens().input());
        out.number("cachedInput", r.tokens().cachedInput());
        out.number("cacheWrite", r.tokens().cacheWrite());
        out.number("output", r.tokens().output());
        out.number("reasoning", r.tokens().reasoning());
        out.endGroup();
        out.text("cost", Money.formatUsdExact(r.costMicros()));
        out.number("costMicros", r.costMicros());
        out.flag("priced", r.priced());
        out.number("latencyMs", r.latencyMs());
        if (r.ttftMs() != null) {
            out.number("ttftMs", r.ttftMs());
        }
        out.number("attempts", r.attempts());
        out.number("status", r.status());
        out.flag("streamed", r.streamed());
        optional(out, "error", r.error());
    }

    /** {@code 2026-12-06T05:40:01.123Z}, UTC. */
    static String time(Instant t) {
        Second second = lastSecond;
        if (second.epochSecond() != t.getEpochSecond()) {
            second = new Second(t.getEpochSecond(), TO_SECOND.format(t));
            lastSecond = second;
        }
        int millis = t.getNano() / 1_000_000;
        return second.text() + (char) ('0' + millis / 100) + (char) ('0' + millis / 10 % 10) + (char) ('0' + millis % 10) + 'Z';
    }

    private static void optional(UsageFields out, String field, String value) {
        if (value != null) {
            out.text(field, value);
        }
    }

    /** The fields as JSON members, the group as a nested object. */
    private record JsonFields(JsonGenerator g) implements UsageFields {
        @Override
        public void text(String name, String value) {
            write(() -> g.writeStringField(name, value));
        }

        @Override
        public void number(String name, long value) {
            write(() -> g.writeNumberField(name, value));
        }

        @Override
        public void flag(String name, boolean value) {
            write(() -> g.writeBooleanField(name, value));
        }

        @Override
        public void startGroup(String name) {
            write(() -> g.writeObjectFieldStart(name));
        }

        @Override
        public void endGroup() {
            write(g::writeEndObject);
        }

        private static void write(JsonWrite write) {
            try {
                write.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private interface JsonWrite {
        void run() throws IOException;
    }
}
