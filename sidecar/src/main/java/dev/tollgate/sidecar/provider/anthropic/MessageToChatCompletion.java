package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ChatCompletionJson;
import dev.tollgate.sidecar.provider.FinishReasons;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.openai.OpenAiUsage;

/** An Anthropic {@code message} as an OpenAI {@code chat.completion}: text, tool calls, finish reason, usage. */
final class MessageToChatCompletion {
    private MessageToChatCompletion() {
    }

    static TranslatedAnswer translate(byte[] body) {
        JsonNode message = UpstreamJson.parseObject(body);
        if (!"message".equals(message.path("type").asText()) || !message.path("content").isArray()) {
            throw new InvalidUpstreamResponse("the provider's answer is not an Anthropic message");
        }
        Usage usage = AnthropicUsage.of(message.get("usage"));
        String model = message.path("model").textValue();
        ObjectNode completion = ChatCompletionJson.header("chat.completion", message.path("id").asText(),
                System.currentTimeMillis() / 1000, model);
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        ObjectNode reply = ChatMessagesMapping.chatAssistantMessage(message.get("content"), i -> {
            // Server-tool blocks (web search results...) have no chat form; the text around them tells the answer.
        });
        choice.set("message", reply);
        reply.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", ChatMessagesMapping.finishReason(message.path("stop_reason").textValue()));
        if (usage != null) {
            completion.set("usage", OpenAiUsage.toChatJson(usage));
        }
        return new TranslatedAnswer(UpstreamJson.toBytes(completion), usage, model,
                usage == null ? reply.path("content").asText("") : "", FinishReasons.of(message.path("stop_reason").textValue()));
    }
}
