package dev.tollgate.sidecar.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.api.ResponsesRequest;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.FinishReasons;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;

/** OpenAI's Responses API, passed through both ways but for the model name; usage is read on the way. */
final class OpenAiResponses implements ApiAdapter<ResponsesRequest> {
    private final OpenAiEndpoints endpoints;

    OpenAiResponses(OpenAiEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public UpstreamRequest request(ResponsesRequest request, String upstreamModel, ProviderConfig provider) {
        return endpoints.request(OpenAiApi.RESPONSES, request.body().deepCopy(), upstreamModel, provider, request.stream());
    }

    @Override
    public TranslatedAnswer answer(byte[] body, ResponsesRequest request) {
        JsonNode tree = UpstreamJson.parseObject(body);
        if (!tree.path("output").isArray()) {
            throw new InvalidUpstreamResponse("the provider's response has no 'output' list");
        }
        Usage usage = OpenAiUsage.ofResponse(tree.get("usage"));
        StringBuilder text = new StringBuilder();
        if (usage == null) {
            for (JsonNode item : tree.get("output")) {
                for (JsonNode part : item.path("content")) {
                    if ("output_text".equals(part.path("type").textValue())) {
                        text.append(part.path("text").asText(""));
                    }
                }
            }
        }
        return new TranslatedAnswer(body, usage, tree.path("model").textValue(), text, FinishReasons.of(stopReason(tree)));
    }

    /** A response's end: its status ({@code completed}, {@code failed}), or why it is {@code incomplete}. */
    static String stopReason(JsonNode response) {
        String status = response.path("status").asText("");
        JsonNode reason = response.path("incomplete_details").path("reason");
        return "incomplete".equals(status) && reason.isTextual() ? reason.textValue() : status;
    }

    @Override
    public StreamTranslator stream(ResponsesRequest request) {
        return new ResponseEventPassThrough();
    }
}
