package dev.tollgate.sidecar.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.provider.AlternatingTurns;
import dev.tollgate.sidecar.provider.DataUrl;
import dev.tollgate.sidecar.api.RequestFields;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.api.ApiError;
import java.util.HashMap;
import java.util.Map;

/**
 * An OpenAI chat-completions body as a Gemini {@code GenerateContentRequest}: messages become
 * {@code contents} (roles user/model; system and developer messages the {@code systemInstruction}),
 * tools {@code functionDeclarations}, sampling settings {@code generationConfig}. What Gemini cannot
 * express is a 400 naming the field, before anything is sent.
 */
final class ChatToGemini {
    private ChatToGemini() {
    }

    static ObjectNode translate(ObjectNode chat) {
        ObjectNode gemini = UpstreamJson.MAPPER.createObjectNode();
        ArrayNode system = UpstreamJson.MAPPER.createArrayNode();
        ArrayNode contents = gemini.putArray("contents");
        // A tool message names only its call's id; Gemini's functionResponse wants the function's name.
        Map<String, String> callNames = new HashMap<>();
        JsonNode messages = chat.get("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String at = "messages[" + i + "]";
            String role = message.get("role").textValue();
            switch (role) {
                case "system", "developer" -> addText(system, message.get("content"), at);
                case "user" -> AlternatingTurns.append(contents, "user", "parts", userParts(message.get("content"), at));
                case "assistant" -> AlternatingTurns.append(contents, "model", "parts", assistantParts(message, at, callNames));
                case "tool" -> AlternatingTurns.append(contents, "user", "parts", functionResponse(message, at, callNames));
                default -> throw RequestFields.wrongType(at + ".role", "'system', 'developer', 'user', 'assistant' or 'tool'");
            }
        }
        if (contents.isEmpty()) {
            throw ApiError.badRequest("invalid_value", "'messages' must contain at least one user or assistant message.");
        }
        if (!system.isEmpty()) {
            gemini.putObject("systemInstruction").set("parts", system);
        }
        tools(chat, gemini);
        ObjectNode config = generationConfig(chat);
        if (!config.isEmpty()) {
            gemini.set("generationConfig", config);
        }
        return gemini;
    }

    private static ArrayNode userParts(JsonNode content, String at) {
        ArrayNode parts = UpstreamJson.MAPPER.createArrayNode();
        if (content == null || content.isTextual()) {
            addText(parts, content, at);
            return parts;
        }
        if (!content.isArray()) {
            throw RequestFields.wrongType(at + ".content", "a string or an array of content parts");
        }
        for (int p = 0; p < content.size(); p++) {
            JsonNode part = content.get(p);
            String pat = at + ".content[" + p + "]";
            switch (part.path("type").asText()) {
                case "text" -> parts.addObject().put("text", requireText(part.get("text"), pat + ".text"));
                case "image_url" -> parts.add(image(part.path("image_url").path("url"), pat + ".image_url.url"));
                case "input_audio" -> {
                    JsonNode audio = part.path("input_audio");
                    parts.addObject().putObject("inlineData")
                            .put("mimeType", "audio/" + requireText(audio.get("format"), pat + ".input_audio.format"))
                            .put("data", requireText(audio.get("data"), pat + ".input_audio.data"));
                }
                default -> throw ApiError.badRequest("unsupported_content", "Invalid value for '" + pat
                        + ".type': Gemini backends take 'text', 'image_url' and 'input_audio' parts.");
            }
        }
        return parts;
    }

    /** A data: URL is sent inline; an http(s) URL as a file reference Gemini fetches itself. */
    private static ObjectNode image(JsonNode url, String at) {
        String value = requireText(url, at);
        ObjectNode part = UpstreamJson.MAPPER.createObjectNode();
        if (DataUrl.isDataUrl(value)) {
            DataUrl data = DataUrl.parse(value);
            if (data == null) {
                throw ApiError.badRequest("invalid_image_url", "Invalid value for '" + at
                        + "': a data URL must be base64, like 'data:image/png;base64,...'.");
            }
            part.putObject("inlineData").put("mimeType", data.mediaType()).put("data", data.base64Data());
        } else if (value.startsWith("https://") || value.startsWith("http://")) {
            part.putObject("fileData").put("fileUri", value);
        } else {
            throw ApiError.badRequest("invalid_image_url", "Invalid value for '" + at + "': expected an http(s) or data URL.");
        }
        return part;
    }

    private static ArrayNode assistantParts(JsonNode message, String at, Map<String, String> callNames) {
        ArrayNode parts = UpstreamJson.MAPPER.createArrayNode();
        JsonNode content = message.get("content");
        if (content != null && !content.isNull()) {
            addText(parts, content, at);
        }
        JsonNode calls = RequestFields.optionalArray(message.get("tool_calls"), at + ".tool_calls");
        for (int c = 0; c < calls.size(); c++) {
            JsonNode call = calls.get(c);
            String cat = at + ".tool_calls[" + c + "]";
            String name = requireText(call.path("function").get("name"), cat + ".function.name");
            callNames.put(call.path("id").asText(), name);
            ObjectNode part = parts.addObject();
            part.putObject("functionCall").put("name", name)
                    .set("args", jsonObject(call.path("function").path("arguments").asText("{}"), cat + ".function.arguments"));
            JsonNode signature = call.at("/extra_content/google/thought_signature");
            if (signature.isTextual()) {
                // Gemini 3 rejects a function call in history without the signature it was issued with.
                part.set("thoughtSignature", signature);
            }
        }
        if (parts.isEmpty()) {
            throw RequestFields.wrongType(at, "an assistant message with content or tool_calls");
        }
        return parts;
    }

    private static ArrayNode functionResponse(JsonNode message, String at, Map<String, String> callNames) {
        String id = requireText(message.get("tool_call_id"), at + ".tool_call_id");
        String name = callNames.get(id);
        if (name == null) {
            throw ApiError.badRequest("invalid_value", "Invalid value for '" + at + ".tool_call_id': no earlier assistant "
                    + "message has a tool call with id '" + id + "'.");
        }
        String text = joinedText(message.get("content"), at);
        ArrayNode parts = UpstreamJson.MAPPER.createArrayNode();
        parts.addObject().putObject("functionResponse").put("name", name).set("response", responseObject(text));
        return parts;
    }

    /** Gemini wants a JSON object as a function's response; any other result is wrapped as {"result": ...}. */
    private static JsonNode responseObject(String text) {
        JsonNode object = UpstreamJson.objectOrNull(text);
        return object != null ? object : UpstreamJson.MAPPER.createObjectNode().put("result", text);
    }

    private static void tools(ObjectNode chat, ObjectNode gemini) {
        JsonNode tools = chat.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw RequestFields.wrongType("tools", "an array");
            }
            ArrayNode declarations = UpstreamJson.MAPPER.createArrayNode();
            for (int t = 0; t < tools.size(); t++) {
                JsonNode tool = tools.get(t);
                if (!"function".equals(tool.path("type").asText())) {
                    throw ApiError.badRequest("unsupported_tool", "Invalid value for 'tools[" + t
                            + "].type': Gemini backends take 'function' tools.");
                }
                JsonNode function = tool.path("function");
                ObjectNode declaration = declarations.addObject()
                        .put("name", requireText(function.get("name"), "tools[" + t + "].function.name"));
                if (function.hasNonNull("description")) {
                    declaration.set("description", function.get("description"));
                }
                if (function.hasNonNull("parameters")) {
                    // The JSON Schema form: OpenAI schemas use keywords (additionalProperties...) the OpenAPI form rejects.
                    declaration.set("parametersJsonSchema", function.get("parameters"));
                }
            }
            if (!declarations.isEmpty()) {
                gemini.putArray("tools").addObject().set("functionDeclarations", declarations);
            }
        }
        JsonNode choice = chat.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            ObjectNode calling = gemini.putObject("toolConfig").putObject("functionCallingConfig");
            if (choice.isTextual()) {
                calling.put("mode", switch (choice.textValue()) {
                    case "none" -> "NONE";
                    case "auto" -> "AUTO";
                    case "required" -> "ANY";
                    default -> throw RequestFields.wrongType("tool_choice", "'none', 'auto', 'required' or a function");
                });
            } else {
                calling.put("mode", "ANY").putArray("allowedFunctionNames")
                        .add(requireText(choice.path("function").get("name"), "tool_choice.function.name"));
            }
        }
    }

    private static ObjectNode generationConfig(ObjectNode chat) {
        ObjectNode config = UpstreamJson.MAPPER.createObjectNode();
        copyNumber(chat, "temperature", config, "temperature");
        copyNumber(chat, "top_p", config, "topP");
        copyNumber(chat, "presence_penalty", config, "presencePenalty");
        copyNumber(chat, "frequency_penalty", config, "frequencyPenalty");
        copyNumber(chat, "seed", config, "seed");
        copyNumber(chat, "n", config, "candidateCount");
        copyNumber(chat, chat.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens",
                config, "maxOutputTokens");
        JsonNode stop = chat.get("stop");
        if (stop != null && !stop.isNull()) {
            ArrayNode sequences = config.putArray("stopSequences");
            if (stop.isTextual()) {
                sequences.add(stop);
            } else if (stop.isArray()) {
                stop.forEach(s -> sequences.add(requireText(s, "stop")));
            } else {
                throw RequestFields.wrongType("stop", "a string or an array of strings");
            }
        }
        JsonNode format = chat.get("response_format");
        if (format != null && !format.isNull()) {
            switch (format.path("type").asText()) {
                case "text" -> { }
                case "json_object" -> config.put("responseMimeType", "application/json");
                case "json_schema" -> {
                    JsonNode schema = format.path("json_schema").get("schema");
                    if (schema == null || !schema.isObject()) {
                        throw RequestFields.missing("response_format.json_schema.schema");
                    }
                    config.put("responseMimeType", "application/json").set("responseJsonSchema", schema);
                }
                default -> throw RequestFields.wrongType("response_format.type", "'text', 'json_object' or 'json_schema'");
            }
        }
        return config;
    }

    private static void copyNumber(ObjectNode from, String field, ObjectNode to, String name) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            if (!value.isNumber()) {
                throw RequestFields.wrongType(field, "a number");
            }
            to.set(name, value);
        }
    }

    /**
     * Message content (a string or text parts) as a text part; any other part type is not text.
     * Empty text adds nothing: Gemini refuses an empty text part (an assistant's {@code content: ""}
     * beside its tool calls, say).
     */
    private static void addText(ArrayNode parts, JsonNode content, String at) {
        String text = joinedText(content, at);
        if (!text.isEmpty()) {
            parts.addObject().put("text", text);
        }
    }

    private static String joinedText(JsonNode content, String at) {
        if (content != null && content.isTextual()) {
            return content.textValue();
        }
        if (content == null || !content.isArray()) {
            throw RequestFields.wrongType(at + ".content", "a string or an array of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < content.size(); p++) {
            JsonNode part = content.get(p);
            if (!"text".equals(part.path("type").asText())) {
                throw RequestFields.wrongType(at + ".content[" + p + "]", "a text part");
            }
            text.append(requireText(part.get("text"), at + ".content[" + p + "].text"));
        }
        return text.toString();
    }

    private static JsonNode jsonObject(String text, String at) {
        JsonNode object = UpstreamJson.objectOrNull(text);
        if (object == null) {
            throw RequestFields.wrongType(at, "a JSON object encoded as a string");
        }
        return object;
    }

    private static String requireText(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            throw RequestFields.missing(at);
        }
        if (!node.isTextual()) {
            throw RequestFields.wrongType(at, "a string");
        }
        return node.textValue();
    }
}
