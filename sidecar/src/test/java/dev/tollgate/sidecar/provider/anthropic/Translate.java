package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.SseParser;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs an upstream SSE fixture through a stream translator, as the relay would, and reads what the client got. */
final class Translate {
    private Translate() {
    }

    static final JsonNode DONE = UpstreamJson.MAPPER.getNodeFactory().textNode("[DONE]");

    /** Everything written for the client, as one text. */
    static String stream(StreamTranslator translator, String upstreamSse) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Events.Reader reader = Events.reader(new SseParser(), new ByteArrayInputStream((upstreamSse.strip() + "\n\n").getBytes(StandardCharsets.UTF_8)));
            SseEvent event;
            while ((event = reader.next()) != null) {
                translator.onEvent(event, out::writeBytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The client's events, each parsed (the [DONE] marker as the text node "[DONE]"), without time-dependent "created". */
    static List<JsonNode> events(String clientSse) {
        List<JsonNode> events = new ArrayList<>();
        try {
            Events.Reader reader = Events.reader(new SseParser(), new ByteArrayInputStream(clientSse.getBytes(StandardCharsets.UTF_8)));
            SseEvent event;
            while ((event = reader.next()) != null) {
                events.add(event.data().equals("[DONE]") ? DONE
                        : withoutCreated(UpstreamJson.parseObject(event.data())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    static JsonNode withoutCreated(JsonNode node) {
        ((ObjectNode) node).remove("created");
        return node;
    }

    static JsonNode json(String text) {
        return UpstreamJson.parseObject(text);
    }
}
