package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.MessagesRequest;
import dev.tollgate.sidecar.api.RequestFields;
import dev.tollgate.sidecar.api.ApiError;

/**
 * An Anthropic Messages request as an OpenAI chat request, for backends that speak only chat.
 * Anthropic-only features (server tools, documents, cache_control, thinking budgets, top_k) have no
 * chat equivalent: content and tools that would change the answer are a 400; hints are dropped.
 */
final class MessagesToChat {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MessagesToChat() {
    }

    static ChatRequest request(MessagesRequest request) {
        ObjectNode anthropic = request.body();
        ObjectNode chat = JSON.objectNode().put("model", request.model());
        ArrayNode messages = chat.putArray("messages");
        JsonNode system = anthropic.get("system");
        if (system != null && !system.isNull()) {
            messages.addObject().put("role", "system").put("content", text(system, "system"));
        }
        JsonNode turns = anthropic.get("messages");
        for (int i = 0; i < turns.size(); i++) {
            JsonNode turn = turns.get(i);
            String at = "messages[" + i + "]";
            if (turn.get("role").textValue().equals("assistant")) {
                messages.add(assistant(turn.get("content"), at + ".content"));
            } else {
                user(messages, turn.get("content"), at + ".content");
            }
        }
        // OpenAI's reasoning models (o1, o3, o4-mini, gpt-5) refuse the older max_tokens; the other
        // chat adapters read the limit from ChatRequest.maxTokens(), which prefers this name.
        chat.put("max_completion_tokens", request.maxTokens());
        ChatMessagesMapping.copy(anthropic, "temperature", chat, "temperature");
        ChatMessagesMapping.copy(anthropic, "top_p", chat, "top_p");
        ChatMessagesMapping.copy(anthropic, "stop_sequences", chat, "stop");
        tools(anthropic, chat);
        if (request.user() != null) {
            chat.put("user", request.user());
        }
        streamFlags(chat, request);
        return ChatRequest.of(chat);
    }

    /**
     * The chat request without its conversation: the model and stream flags, all a chat adapter's
     * answer and stream translation read. Spares translating every message again for the answer.
     */
    static ChatRequest answering(MessagesRequest request) {
        ObjectNode chat = JSON.objectNode().put("model", request.model());
        streamFlags(chat, request);
        return ChatRequest.of(chat);
    }

    private static void streamFlags(ObjectNode chat, MessagesRequest request) {
        if (request.stream()) {
            // The usage chunk gives message_delta its counts; the wrapped translator forwards it only when asked.
            chat.put("stream", true).putObject("stream_options").put("include_usage", true);
        }
    }

    /** A user turn: its tool results become tool messages (first, as chat wants them right after the calls), the rest one user message. */
    private static void user(ArrayNode messages, JsonNode content, String at) {
        if (content.isTextual()) {
            messages.addObject().put("role", "user").put("content", content.textValue());
            return;
        }
        ArrayNode parts = JSON.arrayNode();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String where = at + "[" + i + "]";
            switch (block.path("type").asText()) {
                case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText());
                case "image" -> parts.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", ChatMessagesMapping.imageUrl(block.path("source")));
                case "tool_result" -> messages.addObject().put("role", "tool")
                        .put("tool_call_id", block.path("tool_use_id").asText())
                        .put("content", toolResultText(block, where));
                default -> throw unsupported(where);
            }
        }
        if (!parts.isEmpty()) {
            messages.addObject().put("role", "user").set("content", parts);
        }
    }

    private static String toolResultText(JsonNode block, String at) {
        JsonNode content = block.get("content");
        String text = content == null || content.isNull() ? "" : text(content, at + ".content");
        // Chat has no error flag on a tool message; the model still needs to know the call failed.
        return block.path("is_error").asBoolean(false) ? "Error: " + text : text;
    }

    private static ObjectNode assistant(JsonNode content, String at) {
        if (content.isTextual()) {
            return JSON.objectNode().put("role", "assistant").put("content", content.textValue());
        }
        return ChatMessagesMapping.chatAssistantMessage(content, i -> {
            throw unsupported(at + "[" + i + "]");
        });
    }

    /** A string, or text blocks joined; anything but text here is a 400. */
    private static String text(JsonNode content, String at) {
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw RequestFields.wrongType(at, "a string or an array of text blocks");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            if (!block.path("type").asText().equals("text")) {
                throw unsupported(at + "[" + i + "]");
            }
            text.append(text.length() > 0 ? "\n\n" : "").append(block.path("text").asText());
        }
        return text.toString();
    }

    private static void tools(ObjectNode anthropic, ObjectNode chat) {
        JsonNode tools = anthropic.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return;
        }
        ArrayNode converted = chat.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            // Client tools have an input_schema; Anthropic's server tools (web search, bash...) have a versioned type instead.
            if (!tool.path("name").isTextual() || !tool.path("input_schema").isObject()) {
                throw RequestFields.wrongType("tools[" + i + "]", "a client tool with 'name' and 'input_schema' (server tools need an Anthropic backend)");
            }
            ObjectNode function = converted.addObject().put("type", "function").putObject("function")
                    .put("name", tool.get("name").textValue());
            ChatMessagesMapping.copy(tool, "description", function, "description");
            function.set("parameters", tool.get("input_schema"));
        }
        JsonNode choice = anthropic.get("tool_choice");
        if (choice != null && choice.isObject()) {
            chat.set("tool_choice", ChatMessagesMapping.openAiToolChoice(choice));
            if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
                chat.put("parallel_tool_calls", false);
            }
        }
    }

    private static ApiError unsupported(String at) {
        return RequestFields.wrongType(at + ".type", "'text', 'image', 'tool_use' or 'tool_result' for non-Anthropic backends");
    }
}
