package dev.tollgate.sidecar.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ChatCompletionJson;
import dev.tollgate.sidecar.provider.FinishReasons;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.time.Instant;

/**
 * A Converse answer ({@code output.message.content}, {@code stopReason}, {@code usage}) as an
 * OpenAI {@code chat.completion}: text blocks joined into the content, toolUse blocks as tool calls.
 */
final class ConverseAnswer {
    private ConverseAnswer() {
    }

    static TranslatedAnswer translate(byte[] body, ChatRequest request) {
        JsonNode tree = UpstreamJson.parseObject(body);
        JsonNode content = tree.path("output").path("message").path("content");
        if (!content.isArray()) {
            throw new InvalidUpstreamResponse("the provider's answer has no 'output.message.content'");
        }
        StringBuilder text = new StringBuilder();
        ArrayNode toolCalls = UpstreamJson.MAPPER.createArrayNode();
        for (JsonNode block : content) {
            if (block.path("text").isTextual()) {
                text.append(block.get("text").textValue());
            } else if (block.path("toolUse").isObject()) {
                JsonNode toolUse = block.get("toolUse");
                ObjectNode call = toolCalls.addObject();
                call.put("id", toolUse.path("toolUseId").asText());
                call.put("type", "function");
                ObjectNode function = call.putObject("function");
                function.put("name", toolUse.path("name").asText());
                function.put("arguments", toolUse.path("input").toString());
            }
        }
        Usage usage = ConverseUsage.of(tree.get("usage"));

        ObjectNode out = ChatCompletionJson.header("chat.completion", CompletionIds.next(), Instant.now().getEpochSecond(),
                request.model());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (text.isEmpty() && !toolCalls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", StopReasons.finishReason(tree.path("stopReason").textValue()));
        if (usage != null) {
            out.set("usage", ConverseUsage.toOpenAi(usage));
        }
        for (JsonNode call : toolCalls) {
            text.append(call.path("function").path("arguments").asText());
        }
        return new TranslatedAnswer(UpstreamJson.toBytes(out), usage, null, text,
                FinishReasons.of(tree.path("stopReason").textValue()));
    }
}
