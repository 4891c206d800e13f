package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.EventSink;
import dev.tollgate.sidecar.provider.SseBytes;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Wraps any family's chat stream translator and turns the chat chunks it writes into Anthropic's
 * events in their documented order: message_start, per content block content_block_start, deltas
 * (text_delta, input_json_delta) and content_block_stop, then message_delta (stop reason, usage)
 * and message_stop.
 */
final class ChatChunksToMessageEvents implements StreamTranslator {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final StreamTranslator chat;
    /** OpenAI tool-call index → the content block that carries it. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    private boolean started;
    private int openBlock = -1;
    private boolean openIsText;
    private int blocks;
    private String stopReason;

    ChatChunksToMessageEvents(StreamTranslator chat) {
        this.chat = chat;
    }

    @Override
    public void onEvent(SseEvent event, EventSink out) throws IOException {
        chat.onEvent(event, bytes -> {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("data:")) {
                    onChunk(line.substring(5).strip(), out);
                }
            }
        });
    }

    private void onChunk(String data, EventSink out) throws IOException {
        if (data.equals("[DONE]")) {
            start(null, out);
            closeBlock(out);
            ObjectNode delta = event("message_delta");
            delta.putObject("delta").put("stop_reason", stopReason == null ? "end_turn" : stopReason).putNull("stop_sequence");
            delta.set("usage", AnthropicUsage.toAnthropic(chat.usage() == null ? Usage.NONE : chat.usage()));
            out.send(SseBytes.event(delta));
            out.send(SseBytes.event(event("message_stop")));
            return;
        }
        JsonNode chunk = UpstreamJson.parseObject(data);
        start(chunk, out);
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        String text = delta.path("content").asText("");
        if (!text.isEmpty()) {
            if (openBlock < 0 || !openIsText) {
                openBlock(JSON.objectNode().put("type", "text").put("text", ""), true, out);
            }
            ObjectNode textDelta = event("content_block_delta").put("index", openBlock);
            textDelta.putObject("delta").put("type", "text_delta").put("text", text);
            out.send(SseBytes.event(textDelta));
        }
        for (JsonNode call : delta.path("tool_calls")) {
            int index = call.path("index").asInt(0);
            if (call.hasNonNull("id") || !toolBlocks.containsKey(index)) {
                ObjectNode block = JSON.objectNode().put("type", "tool_use").put("id", call.path("id").asText())
                        .put("name", call.path("function").path("name").asText());
                block.putObject("input");
                toolBlocks.put(index, openBlock(block, false, out));
            }
            String arguments = call.path("function").path("arguments").asText("");
            if (!arguments.isEmpty()) {
                ObjectNode jsonDelta = event("content_block_delta").put("index", toolBlocks.get(index));
                jsonDelta.putObject("delta").put("type", "input_json_delta").put("partial_json", arguments);
                out.send(SseBytes.event(jsonDelta));
            }
        }
        String finish = choice.path("finish_reason").textValue();
        if (finish != null) {
            stopReason = ChatMessagesMapping.stopReason(finish);
            closeBlock(out);
        }
    }

    /** message_start once, from the first chunk (or, for a stream with none, from what is known). */
    private void start(JsonNode chunk, EventSink out) throws IOException {
        if (started) {
            return;
        }
        started = true;
        ObjectNode start = event("message_start");
        ObjectNode message = start.putObject("message")
                .put("id", ChatCompletionToMessage.messageId(chunk == null ? "" : chunk.path("id").asText()))
                .put("type", "message").put("role", "assistant");
        message.putArray("content");
        message.put("model", chunk == null ? chat.responseModel() : chunk.path("model").asText())
                .putNull("stop_reason").putNull("stop_sequence");
        // Chat streams report usage only at the end; message_delta carries it.
        message.set("usage", AnthropicUsage.toAnthropic(Usage.NONE));
        out.send(SseBytes.event(start));
    }

    private int openBlock(ObjectNode block, boolean text, EventSink out) throws IOException {
        closeBlock(out);
        openBlock = blocks++;
        openIsText = text;
        ObjectNode start = event("content_block_start").put("index", openBlock);
        start.set("content_block", block);
        out.send(SseBytes.event(start));
        return openBlock;
    }

    private void closeBlock(EventSink out) throws IOException {
        if (openBlock >= 0) {
            out.send(SseBytes.event(event("content_block_stop").put("index", openBlock)));
            openBlock = -1;
        }
    }

    private static ObjectNode event(String type) {
        return JSON.objectNode().put("type", type);
    }

    @Override
    public boolean finished() {
        return chat.finished();
    }

    @Override
    public Usage usage() {
        return chat.usage();
    }

    @Override
    public String responseModel() {
        return chat.responseModel();
    }

    @Override
    public CharSequence outputText() {
        return chat.outputText();
    }

    @Override
    public List<String> finishReasons() {
        return chat.finishReasons();
    }
}
