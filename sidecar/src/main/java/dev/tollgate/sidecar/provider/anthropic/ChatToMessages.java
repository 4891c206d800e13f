package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.provider.AlternatingTurns;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.api.RequestFields;
import dev.tollgate.sidecar.api.ApiError;

/**
 * An OpenAI chat request as an Anthropic Messages body (without the model; the endpoint sets it).
 * Fields Anthropic has no equivalent for (logprobs, seed, penalties...) are dropped; content it
 * cannot take is a 400 naming the field, so nothing half-translated reaches the provider.
 */
final class ChatToMessages {
    /**
     * Anthropic requires max_tokens and OpenAI clients often send none. 4096 is the largest output
     * every Claude model accepts (the Claude 3 models' maximum), so the default never makes a request
     * invalid for the chosen model, and it is long enough for ordinary answers.
     */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ChatToMessages() {
    }

    static ObjectNode body(ChatRequest request) {
        ObjectNode chat = request.body();
        if (chat.path("n").asInt(1) > 1) {
            throw ApiError.badRequest("unsupported_parameter", "'n' greater than 1 is not supported by Anthropic backends.");
        }
        ObjectNode out = JSON.objectNode();
        ArrayNode system = JSON.arrayNode();
        ArrayNode messages = out.putArray("messages");
        JsonNode chatMessages = chat.get("messages");
        for (int i = 0; i < chatMessages.size(); i++) {
            JsonNode message = chatMessages.get(i);
            String at = "messages[" + i + "]";
            String role = message.get("role").textValue();
            if (ChatMessagesMapping.isSystemRole(role)) {
                system.addAll(textBlocks(message.get("content"), at + ".content"));
            } else if (role.equals("user")) {
                AlternatingTurns.append(messages, "user", userBlocks(message.get("content"), at + ".content"));
            } else if (role.equals("assistant")) {
                AlternatingTurns.append(messages, "assistant", assistantBlocks(message, at));
            } else if (role.equals("tool")) {
                AlternatingTurns.append(messages, "user", JSON.arrayNode().add(toolResult(message, at)));
            } else {
                throw RequestFields.wrongType(at + ".role", "'system', 'developer', 'user', 'assistant' or 'tool'");
            }
        }
        if (system.size() == 1) {
            out.put("system", system.get(0).get("text").textValue());
        } else if (!system.isEmpty()) {
            out.set("system", system);
        }
        out.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : DEFAULT_MAX_TOKENS);
        ChatMessagesMapping.copy(chat, "temperature", out, "temperature");
        ChatMessagesMapping.copy(chat, "top_p", out, "top_p");
        JsonNode stop = chat.get("stop");
        if (stop != null && stop.isTextual()) {
            out.putArray("stop_sequences").add(stop);
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            out.set("stop_sequences", stop);
        }
        tools(chat, out);
        if (request.user() != null) {
            out.putObject("metadata").put("user_id", request.user());
        }
        if (request.stream()) {
            out.put("stream", true);
        }
        return out;
    }

    private static ArrayNode userBlocks(JsonNode content, String at) {
        if (content == null || content.isTextual() || content.isNull()) {
            return textBlocks(content, at);
        }
        if (!content.isArray()) {
            throw RequestFields.wrongType(at, "a string or an array of content parts");
        }
        ArrayNode blocks = JSON.arrayNode();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText();
            if (type.equals("text")) {
                addText(blocks, part.path("text").asText());
            } else if (type.equals("image_url")) {
                JsonNode url = part.path("image_url").path("url");
                if (!url.isTextual()) {
                    throw RequestFields.missing(at + "[" + i + "].image_url.url");
                }
                blocks.add(ChatMessagesMapping.imageBlock(url.textValue()));
            } else {
                throw RequestFields.wrongType(at + "[" + i + "].type", "'text' or 'image_url' for Anthropic backends");
            }
        }
        return blocks;
    }

    private static ArrayNode assistantBlocks(JsonNode message, String at) {
        ArrayNode blocks = textBlocks(message.get("content"), at + ".content");
        JsonNode calls = RequestFields.optionalArray(message.get("tool_calls"), at + ".tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            JsonNode function = call.path("function");
            ObjectNode block = blocks.addObject().put("type", "tool_use")
                    .put("id", call.path("id").asText())
                    .put("name", function.path("name").asText());
            block.set("input", arguments(function.path("arguments"), at + ".tool_calls[" + i + "].function.arguments"));
        }
        return blocks;
    }

    private static JsonNode arguments(JsonNode arguments, String at) {
        JsonNode input = ChatMessagesMapping.toolInput(arguments.asText(""));
        if (input == null) {
            throw RequestFields.wrongType(at, "a JSON object encoded as a string");
        }
        return input;
    }

    private static ObjectNode toolResult(JsonNode message, String at) {
        JsonNode id = message.get("tool_call_id");
        if (id == null || !id.isTextual()) {
            throw RequestFields.missing(at + ".tool_call_id");
        }
        ObjectNode block = JSON.objectNode().put("type", "tool_result").put("tool_use_id", id.textValue());
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            block.put("content", content.textValue());
        } else {
            block.set("content", textBlocks(content, at + ".content"));
        }
        return block;
    }

    /** A string or an array of text parts as Anthropic text blocks; empty text is left out (Anthropic rejects it). */
    private static ArrayNode textBlocks(JsonNode content, String at) {
        ArrayNode blocks = JSON.arrayNode();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            addText(blocks, content.textValue());
            return blocks;
        }
        if (!content.isArray()) {
            throw RequestFields.wrongType(at, "a string or an array of text parts");
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText();
            if (type.equals("text")) {
                addText(blocks, part.path("text").asText());
            } else if (!type.equals("refusal")) {
                throw RequestFields.wrongType(at + "[" + i + "].type", "'text'");
            }
        }
        return blocks;
    }

    private static void addText(ArrayNode blocks, String text) {
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
    }

    private static void tools(ObjectNode chat, ObjectNode out) {
        JsonNode tools = chat.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return;
        }
        ArrayNode converted = out.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode function = tools.get(i).path("function");
            if (!tools.get(i).path("type").asText().equals("function") || !function.path("name").isTextual()) {
                throw RequestFields.wrongType("tools[" + i + "]", "a function tool with a name");
            }
            ObjectNode tool = converted.addObject().put("name", function.get("name").textValue());
            ChatMessagesMapping.copy(function, "description", tool, "description");
            JsonNode schema = function.get("parameters");
            tool.set("input_schema", schema != null && schema.isObject() ? schema : JSON.objectNode().put("type", "object"));
        }
        JsonNode choice = chat.get("tool_choice");
        ObjectNode toolChoice = choice == null || choice.isNull() ? null : ChatMessagesMapping.anthropicToolChoice(choice);
        if (chat.path("parallel_tool_calls").isBoolean() && !chat.get("parallel_tool_calls").booleanValue()
                && (toolChoice == null || !toolChoice.get("type").textValue().equals("none"))) {
            if (toolChoice == null) {
                toolChoice = JSON.objectNode().put("type", "auto");
            }
            toolChoice.put("disable_parallel_tool_use", true);
        }
        if (toolChoice != null) {
            out.set("tool_choice", toolChoice);
        }
    }
}
