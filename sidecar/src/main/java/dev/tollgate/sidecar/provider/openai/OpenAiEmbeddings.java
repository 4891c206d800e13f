package dev.tollgate.sidecar.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import java.util.List;

/** Embeddings to an OpenAI-type provider: passed through both ways; {@code usage.prompt_tokens} is the input. */
final class OpenAiEmbeddings implements ApiAdapter<EmbeddingsRequest> {
    private final OpenAiEndpoints endpoints;

    OpenAiEmbeddings(OpenAiEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public UpstreamRequest request(EmbeddingsRequest request, String upstreamModel, ProviderConfig provider) {
        return endpoints.request(OpenAiApi.EMBEDDINGS, request.body().deepCopy(), upstreamModel, provider, false);
    }

    @Override
    public TranslatedAnswer answer(byte[] body, EmbeddingsRequest request) {
        JsonNode tree = UpstreamJson.parseObject(body);
        if (!tree.path("data").isArray()) {
            throw new InvalidUpstreamResponse("the provider's embeddings answer has no 'data' list");
        }
        // An embedding has no output text: a missing usage is estimated from the input alone.
        return new TranslatedAnswer(body, OpenAiUsage.of(tree.get("usage")), tree.path("model").textValue(), "", List.of());
    }
}
