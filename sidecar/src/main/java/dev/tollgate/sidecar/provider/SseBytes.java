package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events as the client receives them: OpenAI's unnamed {@code data:} events and its
 * {@code [DONE]}, named events (Anthropic's, the Responses API's).
 */
public final class SseBytes {
    private SseBytes() {
    }

    /** OpenAI chat streams' last event. */
    public static byte[] done() {
        return data("[DONE]");
    }

    public static byte[] data(JsonNode json) {
        return data(json.toString());
    }

    public static byte[] data(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** An event with its name ({@code null}: none) and data; data with several lines keeps them as several {@code data:} lines. */
    public static byte[] event(String name, String data) {
        StringBuilder out = new StringBuilder(data.length() + 64);
        if (name != null) {
            out.append("event: ").append(name).append('\n');
        }
        for (String line : data.split("\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An Anthropic event, named by its type; compact JSON has no line breaks, so its data is one line. */
    public static byte[] event(JsonNode event) {
        return ("event: " + event.path("type").asText() + "\ndata: " + event + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
