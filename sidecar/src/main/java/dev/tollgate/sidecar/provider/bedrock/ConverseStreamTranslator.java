package dev.tollgate.sidecar.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.provider.ChatCompletionJson;
import dev.tollgate.sidecar.provider.EventSink;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.Secrets;
import dev.tollgate.sidecar.provider.SseBytes;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamReadings;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ConverseStream events as OpenAI chat-completion chunks: messageStart → the role chunk,
 * contentBlockStart (toolUse) → a tool call with its id and name, contentBlockDelta → content or
 * argument pieces, messageStop → the finish reason, metadata (the last event, with the usage) →
 * the usage chunk when the client asked for it, then {@code [DONE]}. ConverseStream names no model,
 * so the response model stays unknown (null).
 */
final class ConverseStreamTranslator extends StreamReadings {
    private final String id = CompletionIds.next();
    private final long created = Instant.now().getEpochSecond();
    private final String requestedModel;
    private final boolean clientWantsUsage;
    /** Converse numbers every content block; OpenAI numbers tool calls only. */
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();

    ConverseStreamTranslator(String requestedModel, boolean clientWantsUsage) {
        this.requestedModel = requestedModel;
        this.clientWantsUsage = clientWantsUsage;
    }

    @Override
    public void onEvent(SseEvent event, EventSink out) throws IOException {
        String type = event.event();
        if (type == null) {
            throw new InvalidUpstreamResponse("the provider's stream has an event without a type");
        }
        if (type.startsWith(EventStreamParser.EXCEPTION_PREFIX)) {
            String message = UpstreamJson.textAt(event.data().getBytes(StandardCharsets.UTF_8), "/message");
            throw new InvalidUpstreamResponse("Bedrock stream error " + type.substring(EventStreamParser.EXCEPTION_PREFIX.length())
                    + (message == null ? "" : ": " + Secrets.scrub(message, List.of())));
        }
        JsonNode data = UpstreamJson.parseObject(event.data());
        switch (type) {
            case "messageStart" -> send(out, delta().put("role", "assistant").put("content", ""), null);
            case "contentBlockStart" -> startBlock(data, out);
            case "contentBlockDelta" -> blockDelta(data, out);
            case "messageStop" -> {
                stoppedBecause(data.path("stopReason").textValue());
                send(out, delta(), StopReasons.finishReason(data.path("stopReason").textValue()));
            }
            case "metadata" -> {
                usage = ConverseUsage.of(data.get("usage"));
                if (clientWantsUsage && usage != null) {
                    out.send(ChatCompletionJson.usageChunk(id, created, requestedModel, ConverseUsage.toOpenAi(usage)));
                }
                finished = true;
                out.send(SseBytes.done());
            }
            default -> {
                // contentBlockStop and events newer than this adapter carry nothing for the client.
            }
        }
    }

    private void startBlock(JsonNode data, EventSink out) throws IOException {
        JsonNode toolUse = data.path("start").path("toolUse");
        if (!toolUse.isObject()) {
            return;
        }
        int index = toolIndexByBlock.size();
        toolIndexByBlock.put(data.path("contentBlockIndex").asInt(), index);
        ObjectNode call = toolCall(index);
        call.put("id", toolUse.path("toolUseId").asText());
        call.put("type", "function");
        call.putObject("function").put("name", toolUse.path("name").asText()).put("arguments", "");
        send(out, ChatCompletionJson.toolCallDelta(call), null);
    }

    private void blockDelta(JsonNode data, EventSink out) throws IOException {
        JsonNode delta = data.path("delta");
        if (delta.path("text").isTextual()) {
            String piece = delta.get("text").textValue();
            text.append(piece);
            send(out, delta().put("content", piece), null);
        } else if (delta.path("toolUse").path("input").isTextual()) {
            Integer index = toolIndexByBlock.get(data.path("contentBlockIndex").asInt());
            if (index == null) {
                throw new InvalidUpstreamResponse("the provider's stream sent tool input for a block it never started");
            }
            String piece = delta.get("toolUse").get("input").textValue();
            text.append(piece);
            ObjectNode call = toolCall(index);
            call.putObject("function").put("arguments", piece);
            send(out, ChatCompletionJson.toolCallDelta(call), null);
        }
        // Reasoning deltas are billed as output but not shown: OpenAI's chat schema has no place for them.
    }

    private static ObjectNode delta() {
        return UpstreamJson.MAPPER.createObjectNode();
    }

    private static ObjectNode toolCall(int index) {
        return UpstreamJson.MAPPER.createObjectNode().put("index", index);
    }

    private void send(EventSink out, ObjectNode delta, String finishReason) throws IOException {
        out.send(ChatCompletionJson.deltaChunk(id, created, requestedModel, delta, finishReason));
    }
}
