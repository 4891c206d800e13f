package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;

/** An Anthropic {@code message} as an OpenAI {@code chat.completion}: text, tool calls, finish reason, usage. */
final class MessageToChatCompletion {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MessageToChatCompletion() {
    }

    static TranslatedAnswer translate(byte[] body) {
        JsonNode message = UpstreamJson.parseObject(body);
        if (!"message".equals(message.path("type").asText()) || !message.path("content").isArray()) {
            throw new InvalidUpstreamResponse("the provider's answer is not an Anthropic message");
        }
        StringBuilder text = new StringBuilder();
        ArrayNode toolCalls = JSON.arrayNode();
        for (JsonNode block : message.get("content")) {
            String type = block.path("type").asText();
            if (type.equals("text")) {
                text.append(block.path("text").asText());
            } else if (type.equals("tool_use")) {
                ObjectNode call = toolCalls.addObject().put("id", block.path("id").asText()).put("type", "function");
                call.putObject("function").put("name", block.path("name").asText())
                        .put("arguments", block.path("input").toString());
            }
        }
        Usage usage = AnthropicUsage.of(message.get("usage"));
        String model = message.path("model").textValue();
        ObjectNode completion = JSON.objectNode()
                .put("id", message.path("id").asText())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        ObjectNode reply = choice.putObject("message").put("role", "assistant");
        if (text.length() > 0 || toolCalls.isEmpty()) {
            reply.put("content", text.toString());
        } else {
            reply.putNull("content");
        }
        if (!toolCalls.isEmpty()) {
            reply.set("tool_calls", toolCalls);
        }
        reply.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", ChatMessagesMapping.finishReason(message.path("stop_reason").textValue()));
        if (usage != null) {
            completion.set("usage", AnthropicUsage.toOpenAi(usage));
        }
        return new TranslatedAnswer(UpstreamJson.toBytes(completion), usage, model, usage == null ? text : "");
    }
}
