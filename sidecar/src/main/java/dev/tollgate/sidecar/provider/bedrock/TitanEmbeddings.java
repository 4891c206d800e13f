package dev.tollgate.sidecar.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.TextEmbeddings;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.api.ApiError;
import java.util.List;

/**
 * OpenAI embeddings served by Amazon Titan Text Embeddings through InvokeModel
 * ({@code POST /model/{id}/invoke}, {@code {"inputText","dimensions"}} →
 * {@code {"embedding":[...],"inputTextTokenCount":N}}). Titan embeds one text per call.
 */
final class TitanEmbeddings implements ApiAdapter<EmbeddingsRequest> {
    private final BedrockRequests requests;

    TitanEmbeddings(BedrockRequests requests) {
        this.requests = requests;
    }

    static boolean serves(String upstreamModel) {
        return upstreamModel.startsWith("amazon.titan-embed-text-");
    }

    @Override
    public UpstreamRequest request(EmbeddingsRequest request, String upstreamModel, ProviderConfig provider) {
        List<String> texts = TextEmbeddings.texts(request);
        if (texts.size() != 1) {
            throw ApiError.badRequest("unsupported_by_provider", "'input': Bedrock's Titan embeddings take one text per"
                    + " request; this request has " + texts.size() + ". Send one request per text.");
        }
        ObjectNode body = UpstreamJson.MAPPER.createObjectNode().put("inputText", texts.get(0));
        if (request.dimensions() != null) {
            body.put("dimensions", request.dimensions());
        }
        return requests.post(provider, upstreamModel, "invoke", body, "application/json");
    }

    @Override
    public TranslatedAnswer answer(byte[] body, EmbeddingsRequest request) {
        JsonNode tree = UpstreamJson.parseObject(body);
        JsonNode embedding = tree.path("embedding");
        if (!embedding.isArray() || !tree.path("inputTextTokenCount").isIntegralNumber()) {
            throw new InvalidUpstreamResponse("the provider's answer has no 'embedding' and 'inputTextTokenCount'");
        }
        long tokens = tree.get("inputTextTokenCount").longValue();
        return new TranslatedAnswer(TextEmbeddings.list(List.of(embedding), request, tokens),
                new Usage(tokens, 0, 0, 0, 0), null, "");
    }
}
