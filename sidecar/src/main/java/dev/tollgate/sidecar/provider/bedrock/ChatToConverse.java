package dev.tollgate.sidecar.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.provider.AlternatingTurns;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.provider.DataUrl;
import dev.tollgate.sidecar.api.RequestFields;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.api.ApiError;
import java.util.Set;

/**
 * An OpenAI chat-completions body as a Bedrock Converse body: system messages → {@code system},
 * the conversation → {@code messages} of content blocks (text, image, toolUse, toolResult; turns
 * of the same role merged, as Converse wants them alternating), tools → {@code toolConfig},
 * limits → {@code inferenceConfig}. What Converse cannot express is a 400 naming the field.
 */
final class ChatToConverse {
    private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");

    private ChatToConverse() {
    }

    static ObjectNode translate(ChatRequest request) {
        ObjectNode body = request.body();
        if (body.path("n").asInt(1) != 1) {
            throw invalid("n", "Bedrock returns one choice per request; 'n' must be 1.");
        }
        ObjectNode out = UpstreamJson.MAPPER.createObjectNode();
        ArrayNode messages = out.putArray("messages");
        ArrayNode system = UpstreamJson.MAPPER.createArrayNode();
        JsonNode chat = body.get("messages");
        for (int i = 0; i < chat.size(); i++) {
            JsonNode message = chat.get(i);
            String at = "messages[" + i + "]";
            switch (message.get("role").textValue()) {
                case "system", "developer" -> appendTexts(system, message.get("content"), at);
                case "user" -> AlternatingTurns.append(messages, "user", userContent(message.get("content"), at));
                case "assistant" -> AlternatingTurns.append(messages, "assistant", assistantContent(message, at));
                case "tool" -> AlternatingTurns.append(messages, "user", UpstreamJson.MAPPER.createArrayNode().add(toolResult(message, at)));
                default -> throw invalid(at + ".role", "Role '" + message.get("role").textValue()
                        + "' is not supported by Bedrock; use system, user, assistant or tool.");
            }
        }
        if (!system.isEmpty()) {
            out.set("system", system);
        }
        ObjectNode inference = inferenceConfig(request);
        if (!inference.isEmpty()) {
            out.set("inferenceConfig", inference);
        }
        ObjectNode tools = toolConfig(body, messages);
        if (tools != null) {
            out.set("toolConfig", tools);
        }
        return out;
    }

    private static ArrayNode userContent(JsonNode content, String at) {
        ArrayNode blocks = UpstreamJson.MAPPER.createArrayNode();
        if (content == null || content.isNull() || content.isTextual()) {
            appendTexts(blocks, content, at);
            return blocks;
        }
        if (!content.isArray()) {
            throw invalid(at + ".content", "Expected a string or an array of content parts.");
        }
        for (int p = 0; p < content.size(); p++) {
            JsonNode part = content.get(p);
            String partAt = at + ".content[" + p + "]";
            switch (part.path("type").asText()) {
                case "text" -> blocks.addObject().put("text", part.path("text").asText());
                case "image_url" -> blocks.add(image(part.path("image_url").path("url").asText(), partAt));
                default -> throw invalid(partAt + ".type", "Content part type '" + part.path("type").asText()
                        + "' is not supported by Bedrock; use text or image_url.");
            }
        }
        return blocks;
    }

    /** A data: URL as an image block; Bedrock cannot fetch images from the web. */
    private static ObjectNode image(String url, String at) {
        if (!DataUrl.isDataUrl(url)) {
            throw invalid(at + ".image_url.url", "Bedrock cannot fetch image URLs; send the image inline as a"
                    + " data: URL (data:image/png;base64,...).");
        }
        DataUrl data = DataUrl.parse(url);
        String format = data == null ? "" : data.mediaType().replaceFirst("^image/", "").replace("jpg", "jpeg");
        if (!IMAGE_FORMATS.contains(format)) {
            throw invalid(at + ".image_url.url", "Expected a base64 data: URL of a png, jpeg, gif or webp image.");
        }
        ObjectNode block = UpstreamJson.MAPPER.createObjectNode();
        ObjectNode image = block.putObject("image");
        image.put("format", format);
        image.putObject("source").put("bytes", data.base64Data());
        return block;
    }

    private static ArrayNode assistantContent(JsonNode message, String at) {
        ArrayNode blocks = UpstreamJson.MAPPER.createArrayNode();
        appendTexts(blocks, message.get("content"), at);
        JsonNode calls = RequestFields.optionalArray(message.get("tool_calls"), at + ".tool_calls");
        for (int c = 0; c < calls.size(); c++) {
            JsonNode call = calls.get(c);
            String callAt = at + ".tool_calls[" + c + "]";
            ObjectNode toolUse = blocks.addObject().putObject("toolUse");
            toolUse.put("toolUseId", requireText(call.path("id"), callAt + ".id"));
            toolUse.put("name", requireText(call.path("function").path("name"), callAt + ".function.name"));
            toolUse.set("input", arguments(call.path("function").path("arguments"), callAt + ".function.arguments"));
        }
        return blocks;
    }

    /** OpenAI carries tool arguments as a JSON string; Converse wants the object. */
    private static JsonNode arguments(JsonNode arguments, String at) {
        String text = arguments.isTextual() && !arguments.textValue().isBlank() ? arguments.textValue() : "{}";
        JsonNode parsed = UpstreamJson.objectOrNull(text);
        if (parsed == null) {
            throw invalid(at, "Tool call arguments must be a JSON object.");
        }
        return parsed;
    }

    private static ObjectNode toolResult(JsonNode message, String at) {
        ObjectNode block = UpstreamJson.MAPPER.createObjectNode();
        ObjectNode result = block.putObject("toolResult");
        result.put("toolUseId", requireText(message.path("tool_call_id"), at + ".tool_call_id"));
        ArrayNode content = result.putArray("content");
        appendTexts(content, message.get("content"), at);
        if (content.isEmpty()) {
            content.addObject().put("text", "");
        }
        return block;
    }

    /** Text content (a string or text parts) as text blocks; empty text adds nothing. */
    private static void appendTexts(ArrayNode blocks, JsonNode content, String at) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            if (!content.textValue().isEmpty()) {
                blocks.addObject().put("text", content.textValue());
            }
            return;
        }
        if (!content.isArray()) {
            throw invalid(at + ".content", "Expected a string or an array of text parts.");
        }
        for (int p = 0; p < content.size(); p++) {
            JsonNode part = content.get(p);
            if (!"text".equals(part.path("type").asText())) {
                throw invalid(at + ".content[" + p + "].type", "Only text parts are allowed in this message.");
            }
            blocks.addObject().put("text", part.path("text").asText());
        }
    }

    private static ObjectNode inferenceConfig(ChatRequest request) {
        ObjectNode body = request.body();
        ObjectNode config = UpstreamJson.MAPPER.createObjectNode();
        if (request.maxTokens() != null) {
            config.put("maxTokens", request.maxTokens());
        }
        if (body.path("temperature").isNumber()) {
            config.set("temperature", body.get("temperature"));
        }
        if (body.path("top_p").isNumber()) {
            config.set("topP", body.get("top_p"));
        }
        JsonNode stop = body.path("stop");
        if (stop.isTextual()) {
            config.putArray("stopSequences").add(stop.textValue());
        } else if (stop.isArray() && !stop.isEmpty()) {
            config.set("stopSequences", stop);
        }
        return config;
    }

    /** tools and tool_choice; null when the request offers no tools. */
    private static ObjectNode toolConfig(ObjectNode body, ArrayNode messages) {
        JsonNode tools = body.path("tools");
        if (!tools.isArray() || tools.isEmpty()) {
            return null;
        }
        JsonNode choice = body.path("tool_choice");
        if (choice.isTextual() && choice.textValue().equals("none")) {
            if (hasToolBlocks(messages)) {
                throw invalid("tool_choice", "Bedrock cannot forbid tool use ('none') in a conversation that has"
                        + " tool calls; omit tool_choice or use 'auto'.");
            }
            return null;
        }
        ObjectNode config = UpstreamJson.MAPPER.createObjectNode();
        ArrayNode specs = config.putArray("tools");
        for (int t = 0; t < tools.size(); t++) {
            JsonNode function = tools.get(t).path("function");
            String at = "tools[" + t + "]";
            if (!"function".equals(tools.get(t).path("type").asText())) {
                throw invalid(at + ".type", "Only function tools are supported by Bedrock.");
            }
            ObjectNode spec = specs.addObject().putObject("toolSpec");
            spec.put("name", requireText(function.path("name"), at + ".function.name"));
            if (function.path("description").isTextual()) {
                spec.put("description", function.get("description").textValue());
            }
            ObjectNode schema = spec.putObject("inputSchema");
            if (function.path("parameters").isObject()) {
                schema.set("json", function.get("parameters"));
            } else {
                // OpenAI allows a function without parameters; Converse requires a schema.
                schema.putObject("json").put("type", "object").putObject("properties");
            }
        }
        if (choice.isTextual() && choice.textValue().equals("required")) {
            config.putObject("toolChoice").putObject("any");
        } else if (choice.isObject()) {
            String name = requireText(choice.path("function").path("name"), "tool_choice.function.name");
            config.putObject("toolChoice").putObject("tool").put("name", name);
        } else if (!choice.isMissingNode() && !choice.isNull() && !(choice.isTextual() && choice.textValue().equals("auto"))) {
            throw invalid("tool_choice", "Expected 'auto', 'required', 'none' or a function to call.");
        } else {
            config.putObject("toolChoice").putObject("auto");
        }
        return config;
    }

    private static boolean hasToolBlocks(ArrayNode messages) {
        for (JsonNode message : messages) {
            for (JsonNode block : message.get("content")) {
                if (block.has("toolUse") || block.has("toolResult")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String requireText(JsonNode node, String at) {
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw invalid(at, "A non-empty string is required.");
        }
        return node.textValue();
    }

    private static ApiError invalid(String field, String message) {
        return new ApiError(400, "invalid_request_error", "unsupported_by_provider", "'" + field + "': " + message);
    }
}
