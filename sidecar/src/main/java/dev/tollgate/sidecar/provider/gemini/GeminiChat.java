package dev.tollgate.sidecar.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.api.ChatRequest;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.ChatCompletionJson;
import dev.tollgate.sidecar.provider.FinishReasons;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRefusal;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.openai.OpenAiUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chat completions to Gemini's {@code generateContent} (and {@code streamGenerateContent?alt=sse}),
 * wherever the endpoint puts it: Google AI or Vertex AI.
 */
public final class GeminiChat implements ApiAdapter<ChatRequest> {
    private final GeminiEndpoint endpoint;

    public GeminiChat(GeminiEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public UpstreamRequest request(ChatRequest request, String upstreamModel, ProviderConfig provider) {
        Map<String, String> headers = new LinkedHashMap<>(provider.headers());
        headers.putAll(endpoint.headers(provider));
        headers.put("Content-Type", "application/json");
        headers.put("Accept", request.stream() ? "text/event-stream" : "application/json");
        String method = request.stream() ? "streamGenerateContent?alt=sse" : "generateContent";
        return new UpstreamRequest(endpoint.uri(provider, upstreamModel, method), headers,
                UpstreamJson.toBytes(ChatToGemini.translate(request.body())));
    }

    @Override
    public TranslatedAnswer answer(byte[] body, ChatRequest request) {
        JsonNode answer = UpstreamJson.parseObject(body);
        JsonNode candidates = UpstreamJson.array(answer, "candidates");
        String refusal = SafetyBlock.refusal(answer, 1);
        if (refusal != null) {
            throw new UpstreamRefusal(refusal);
        }
        if (candidates.isEmpty()) {
            throw new InvalidUpstreamResponse("the provider's answer has neither candidates nor a prompt block reason");
        }
        String model = answer.path("modelVersion").asText(request.model());
        ObjectNode completion = ChatCompletionJson.header("chat.completion", ChatJson.completionId(answer),
                System.currentTimeMillis() / 1000, model);
        ArrayNode choices = completion.putArray("choices");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < candidates.size(); i++) {
            JsonNode candidate = candidates.get(i);
            String content = ChatJson.text(candidate);
            ArrayNode calls = ChatJson.toolCalls(candidate);
            ObjectNode choice = choices.addObject().put("index", candidate.path("index").asInt(i));
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (content.isEmpty() && !calls.isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", content);
            }
            if (!calls.isEmpty()) {
                message.set("tool_calls", calls);
            }
            message.putNull("refusal");
            choice.put("finish_reason", ChatJson.finishReason(candidate.path("finishReason").asText("STOP"), !calls.isEmpty()));
            text.append(content);
            calls.forEach(call -> text.append(call.path("function").path("arguments").asText()));
        }
        Usage usage = GeminiUsage.of(answer.get("usageMetadata"));
        if (usage != null) {
            completion.set("usage", OpenAiUsage.toChatJson(usage));
        }
        return new TranslatedAnswer(UpstreamJson.toBytes(completion), usage, model, text,
                FinishReasons.of(candidates, "finishReason"));
    }

    @Override
    public StreamTranslator stream(ChatRequest request) {
        return new GeminiStreamTranslator(request.model(), request.clientWantsUsage(),
                request.body().path("n").asInt(1));
    }
}
