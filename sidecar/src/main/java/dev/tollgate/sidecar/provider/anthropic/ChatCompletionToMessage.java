package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;

/** A chat completion (as any family's chat adapter produced it) as an Anthropic {@code message}. */
final class ChatCompletionToMessage {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ChatCompletionToMessage() {
    }

    static TranslatedAnswer translate(TranslatedAnswer chat) {
        JsonNode completion = UpstreamJson.parseObject(chat.clientBody());
        JsonNode choice = completion.path("choices").path(0);
        if (!choice.isObject()) {
            throw new InvalidUpstreamResponse("the provider's answer has no choice");
        }
        JsonNode reply = choice.path("message");
        ObjectNode message = JSON.objectNode()
                .put("id", messageId(completion.path("id").asText()))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", completion.path("model").asText());
        ArrayNode content = message.putArray("content");
        String text = reply.path("content").asText("");
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : reply.path("tool_calls")) {
            ObjectNode block = content.addObject().put("type", "tool_use")
                    .put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            block.set("input", arguments(call.path("function").path("arguments").asText("")));
        }
        message.put("stop_reason", ChatMessagesMapping.stopReason(choice.path("finish_reason").textValue()));
        message.putNull("stop_sequence");
        message.set("usage", AnthropicUsage.toAnthropic(chat.usage() == null ? Usage.NONE : chat.usage()));
        return new TranslatedAnswer(UpstreamJson.toBytes(message), chat.usage(), chat.responseModel(), chat.outputText(),
                chat.finishReasons());
    }

    /** Anthropic message ids start with {@code msg_}; the chat id after it keeps the provider's trace. */
    static String messageId(String chatId) {
        return "msg_" + chatId.replaceAll("[^A-Za-z0-9]", "");
    }

    private static JsonNode arguments(String arguments) {
        JsonNode input = ChatMessagesMapping.toolInput(arguments);
        if (input == null) {
            throw new InvalidUpstreamResponse("the model's tool call arguments are not a JSON object");
        }
        return input;
    }
}
