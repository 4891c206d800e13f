package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.provider.DataUrl;
import dev.tollgate.sidecar.api.RequestFields;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * What OpenAI chat and Anthropic Messages call the same thing, for both directions of translation:
 * stop reasons, roles, tool choice and image sources.
 */
final class ChatMessagesMapping {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Anthropic stop_reason → OpenAI finish_reason; a reason missing here (a new one) reads as "stop". */
    private static final Map<String, String> FINISH_REASONS = Map.of(
            "end_turn", "stop",
            "stop_sequence", "stop",
            "pause_turn", "stop",
            "max_tokens", "length",
            "model_context_window_exceeded", "length",
            "tool_use", "tool_calls",
            "refusal", "content_filter");

    /** OpenAI finish_reason → Anthropic stop_reason; OpenAI does not say whether "stop" was a stop sequence. */
    private static final Map<String, String> STOP_REASONS = Map.of(
            "stop", "end_turn",
            "length", "max_tokens",
            "tool_calls", "tool_use",
            "function_call", "tool_use",
            "content_filter", "refusal");

    /** OpenAI's string tool_choice values ↔ Anthropic's tool_choice types. */
    private static final Map<String, String> TOOL_CHOICES = Map.of("auto", "auto", "none", "none", "required", "any");

    private ChatMessagesMapping() {
    }

    static String finishReason(String stopReason) {
        return stopReason == null ? null : FINISH_REASONS.getOrDefault(stopReason, "stop");
    }

    static String stopReason(String finishReason) {
        return finishReason == null ? null : STOP_REASONS.getOrDefault(finishReason, "end_turn");
    }

    /** Chat roles Anthropic takes as the top-level {@code system} prompt instead of a message. */
    static boolean isSystemRole(String role) {
        return "system".equals(role) || "developer".equals(role);
    }

    /** OpenAI's tool_choice ("auto", "none", "required" or a named function) as Anthropic's; anything else is a 400. */
    static ObjectNode anthropicToolChoice(JsonNode choice) {
        if (choice.isTextual() && TOOL_CHOICES.containsKey(choice.textValue())) {
            return JSON.objectNode().put("type", TOOL_CHOICES.get(choice.textValue()));
        }
        String name = choice.path("function").path("name").textValue();
        if (name != null) {
            return JSON.objectNode().put("type", "tool").put("name", name);
        }
        throw RequestFields.wrongType("tool_choice", "'auto', 'none', 'required' or a named function");
    }

    /** Anthropic's tool_choice as OpenAI's. */
    static JsonNode openAiToolChoice(JsonNode choice) {
        String type = choice.path("type").asText();
        if (type.equals("tool")) {
            ObjectNode named = JSON.objectNode().put("type", "function");
            named.putObject("function").put("name", choice.path("name").asText());
            return named;
        }
        return TOOL_CHOICES.entrySet().stream().filter(e -> e.getValue().equals(type)).findFirst()
                .map(e -> (JsonNode) JSON.textNode(e.getKey()))
                .orElseThrow(() -> RequestFields.wrongType("tool_choice.type", "'auto', 'any', 'tool' or 'none'"));
    }

    /** An OpenAI image_url (a data: URL or an http(s) URL) as an Anthropic image block. */
    static ObjectNode imageBlock(String url) {
        ObjectNode block = JSON.objectNode().put("type", "image");
        ObjectNode source = block.putObject("source");
        if (DataUrl.isDataUrl(url)) {
            DataUrl data = DataUrl.parse(url);
            if (data == null) {
                throw RequestFields.wrongType("image_url.url", "a base64 data: URL or an http(s) URL");
            }
            source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64Data());
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source.put("type", "url").put("url", url);
        } else {
            throw RequestFields.wrongType("image_url.url", "a base64 data: URL or an http(s) URL");
        }
        return block;
    }

    /** An Anthropic image block's source as the URL OpenAI's image_url takes. */
    static String imageUrl(JsonNode source) {
        return switch (source.path("type").asText()) {
            case "base64" -> "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText();
            case "url" -> source.path("url").asText();
            default -> throw RequestFields.wrongType("image.source.type", "'base64' or 'url'");
        };
    }

    /** Copies a field both APIs have (under the same or another name) when it is set. */
    static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }

    /** Tool arguments, a JSON string in chat, as the object Anthropic's tool_use input is; empty is {}; null when not an object. */
    static JsonNode toolInput(String arguments) {
        if (arguments.isBlank()) {
            return JSON.objectNode();
        }
        return UpstreamJson.objectOrNull(arguments);
    }

    /**
     * Anthropic assistant content as a chat assistant message: text blocks joined as content, tool_use
     * blocks as tool_calls (input serialised as arguments), thinking left out (chat has no place for
     * it); any other block goes to {@code other} with its position.
     */
    static ObjectNode chatAssistantMessage(JsonNode blocks, IntConsumer other) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = JSON.arrayNode();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> {
                    ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
                    call.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", block.path("input").toString());
                }
                case "thinking", "redacted_thinking" -> {
                    // Reasoning the client sees only from Anthropic itself.
                }
                default -> other.accept(i);
            }
        }
        ObjectNode message = JSON.objectNode().put("role", "assistant");
        if (text.length() > 0 || calls.isEmpty()) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        return message;
    }
}
