package dev.tollgate.sidecar.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.provider.EventSink;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.SseBytes;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamReadings;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Forwards a streamed Responses API answer event by event as it came ({@code event:} and {@code data:}
 * lines), reading the model, the text and, from the terminal event, the usage. The stream has no
 * {@code [DONE]}: it ends with response.completed, response.incomplete or response.failed.
 */
final class ResponseEventPassThrough extends StreamReadings {
    private static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete", "response.failed");
    /** Deltas of what the model writes, for estimating output tokens of a stream cut before its usage. */
    private static final Set<String> OUTPUT_DELTAS = Set.of("response.output_text.delta",
            "response.function_call_arguments.delta", "response.refusal.delta");

    @Override
    public void onEvent(SseEvent event, EventSink out) throws IOException {
        JsonNode data = UpstreamJson.parseObject(event.data());
        String type = data.path("type").asText(event.event() == null ? "" : event.event());
        if (type.equals("error")) {
            throw new InvalidUpstreamResponse(Secrets.scrub("error event from the provider: "
                    + data.path("message").asText(data.path("code").asText("no message")), List.of()));
        }
        JsonNode response = data.get("response");
        if (response != null && response.path("model").isTextual()) {
            model = response.get("model").textValue();
        }
        if (OUTPUT_DELTAS.contains(type) && data.path("delta").isTextual()) {
            text.append(data.get("delta").textValue());
        }
        if (TERMINAL.contains(type)) {
            finished = true;
            usage = OpenAiUsage.ofResponse(response == null ? null : response.get("usage"));
            stoppedBecause(response == null ? null : OpenAiResponses.stopReason(response));
        }
        out.send(SseBytes.event(event.event(), event.data()));
    }
}
