package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ChatCompletionJson;
import dev.tollgate.sidecar.provider.EventSink;
import dev.tollgate.sidecar.provider.SseBytes;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.openai.OpenAiUsage;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * An Anthropic Messages stream as OpenAI chat-completion chunks, event by event: text deltas as
 * content, each tool_use block as a tool call whose arguments arrive in pieces (input_json_delta),
 * message_delta as the finish reason, message_stop as the usage chunk (when asked for) and [DONE].
 */
final class MessagesToChatChunks extends MessageStreamTranslator {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final boolean clientWantsUsage;
    /** Anthropic content-block index → OpenAI tool-call index, for the tool_use blocks. */
    private final Map<Integer, Integer> toolCalls = new HashMap<>();
    private long created;

    MessagesToChatChunks(boolean clientWantsUsage) {
        this.clientWantsUsage = clientWantsUsage;
    }

    @Override
    public void onEvent(SseEvent event, EventSink out) throws IOException {
        JsonNode data = accept(event);
        switch (data.path("type").asText()) {
            case "message_start" -> {
                created = System.currentTimeMillis() / 1000;
                out.send(chunk(JSON.objectNode().put("role", "assistant").put("content", ""), null));
            }
            case "content_block_start" -> {
                JsonNode block = data.path("content_block");
                if (block.path("type").asText().equals("tool_use")) {
                    int index = toolCalls.size();
                    toolCalls.put(data.path("index").asInt(), index);
                    ObjectNode call = JSON.objectNode().put("index", index)
                            .put("id", block.path("id").asText()).put("type", "function");
                    call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
                    out.send(chunk(ChatCompletionJson.toolCallDelta(call), null));
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = data.path("delta");
                String type = delta.path("type").asText();
                if (type.equals("text_delta")) {
                    out.send(chunk(JSON.objectNode().put("content", delta.path("text").asText()), null));
                } else if (type.equals("input_json_delta") && !delta.path("partial_json").asText().isEmpty()) {
                    ObjectNode call = JSON.objectNode().put("index", toolCalls.getOrDefault(data.path("index").asInt(), 0));
                    call.putObject("function").put("arguments", delta.path("partial_json").asText());
                    out.send(chunk(ChatCompletionJson.toolCallDelta(call), null));
                }
            }
            case "message_delta" -> out.send(chunk(JSON.objectNode(),
                    ChatMessagesMapping.finishReason(data.path("delta").path("stop_reason").textValue())));
            case "message_stop" -> {
                Usage reported = usage();
                if (clientWantsUsage && reported != null) {
                    out.send(ChatCompletionJson.usageChunk(messageId(), created, model, OpenAiUsage.toChatJson(reported)));
                }
                out.send(SseBytes.done());
            }
            default -> {
                // ping, content_block_stop, thinking: nothing for a chat client.
            }
        }
    }

    private byte[] chunk(ObjectNode delta, String finishReason) {
        return ChatCompletionJson.deltaChunk(messageId(), created, model, delta, finishReason);
    }
}
