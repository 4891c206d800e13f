package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamReadings;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.util.List;

/**
 * A translator of an Anthropic Messages stream, reading what it has told so far: message id and
 * model (message_start), usage (message_start, then message_delta), the text generated, and
 * whether message_stop came. Both the passthrough and the translation to chat chunks read the
 * stream through {@link #accept}.
 */
abstract class MessageStreamTranslator extends StreamReadings {
    private String id;

    /** Reads one event and returns it parsed; an {@code error} event is {@link InvalidUpstreamResponse}. */
    protected JsonNode accept(SseEvent event) {
        JsonNode data = UpstreamJson.parseObject(event.data());
        switch (data.path("type").asText()) {
            case "message_start" -> {
                JsonNode message = data.path("message");
                id = message.path("id").textValue();
                model = message.path("model").textValue();
                usage = AnthropicUsage.merge(usage, message.get("usage"));
            }
            case "content_block_start" -> append(data.path("content_block").path("text"));
            case "content_block_delta" -> {
                JsonNode delta = data.path("delta");
                append(delta.path("text"));
                append(delta.path("partial_json"));
                append(delta.path("thinking"));
            }
            case "message_delta" -> {
                usage = AnthropicUsage.merge(usage, data.get("usage"));
                stoppedBecause(data.path("delta").path("stop_reason").textValue());
            }
            case "message_stop" -> finished = true;
            case "error" -> throw new InvalidUpstreamResponse("the provider reported an error mid-stream: "
                    + data.path("error").path("type").asText("error") + ": "
                    + Secrets.scrub(data.path("error").path("message").asText(""), List.of()));
            default -> {
                // ping, and event types Anthropic may add: nothing to read.
            }
        }
        return data;
    }

    private void append(JsonNode node) {
        if (node.isTextual()) {
            text.append(node.textValue());
        }
    }

    /** The message id from message_start, or null before it. */
    protected String messageId() {
        return id;
    }

}
