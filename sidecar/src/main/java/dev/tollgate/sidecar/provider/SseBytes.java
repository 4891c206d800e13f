package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.nio.charset.StandardCharsets;

/** Server-sent events as the client receives them: OpenAI's unnamed {@code data:} events, Anthropic's named ones. */
final class SseBytes {
    static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseBytes() {
    }

    static byte[] data(JsonNode json) {
        return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A named event; data with several lines keeps them as several {@code data:} lines. */
    static byte[] named(String event, String data) {
        StringBuilder out = new StringBuilder(data.length() + event.length() + 16).append("event: ").append(event).append('\n');
        for (String line : data.split("\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] named(JsonNode event) {
        return named(event.path("type").asText(), new String(UpstreamJson.toBytes(event), StandardCharsets.UTF_8));
    }
}
