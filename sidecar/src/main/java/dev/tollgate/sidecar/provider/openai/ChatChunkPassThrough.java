package dev.tollgate.sidecar.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.EventSink;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.SseBytes;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamReadings;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.io.IOException;
import java.util.List;

/**
 * Forwards every chat-completion chunk as it came, reading usage and text on the way, and drops the
 * usage chunk the client did not ask for.
 */
final class ChatChunkPassThrough extends StreamReadings {
    private final boolean clientWantsUsage;

    ChatChunkPassThrough(boolean clientWantsUsage) {
        this.clientWantsUsage = clientWantsUsage;
    }

    @Override
    public void onEvent(SseEvent event, EventSink out) throws IOException {
        String data = event.data();
        if (data.equals("[DONE]")) {
            finished = true;
            out.send(SseBytes.done());
            return;
        }
        JsonNode chunk = UpstreamJson.parseObject(data);
        if (chunk.has("error")) {
            throw new InvalidUpstreamResponse(Secrets.scrub(
                    chunk.path("error").path("message").asText("error event from the provider"), List.of()));
        }
        if (model == null && !chunk.path("model").asText("").isEmpty()) {
            // Azure's first chunk (its prompt filter results) names no model: "".
            model = chunk.get("model").textValue();
        }
        Usage reported = OpenAiUsage.of(chunk.get("usage"));
        if (reported != null) {
            usage = reported;
        }
        JsonNode choices = chunk.path("choices");
        for (JsonNode choice : choices) {
            stoppedBecause(choice.path("finish_reason").textValue());
            JsonNode delta = choice.path("delta");
            appendText(delta.path("content"));
            for (JsonNode call : delta.path("tool_calls")) {
                appendText(call.path("function").path("arguments"));
            }
        }
        if (reported != null && choices.isEmpty() && !clientWantsUsage) {
            return;
        }
        out.send(SseBytes.data(data));
    }

    private void appendText(JsonNode node) {
        if (node.isTextual()) {
            text.append(node.textValue());
        }
    }
}
