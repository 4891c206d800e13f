package dev.tollgate.sidecar.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.TextEmbeddings;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI embeddings through Gemini's {@code batchEmbedContents}: one embed request per input text,
 * answered in order. Gemini reports no token counts for embeddings, so the usage is left to the
 * gateway's estimate (the client's {@code usage} block shows that same estimate).
 */
final class GeminiEmbeddings implements ApiAdapter<EmbeddingsRequest> {
    private final GeminiEndpoint endpoint;

    GeminiEmbeddings(GeminiEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public UpstreamRequest request(EmbeddingsRequest request, String upstreamModel, ProviderConfig provider) {
        ObjectNode body = UpstreamJson.MAPPER.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (String text : TextEmbeddings.texts(request)) {
            ObjectNode one = requests.addObject().put("model", GeminiModels.resource(upstreamModel));
            one.putObject("content").putArray("parts").addObject().put("text", text);
            if (request.dimensions() != null) {
                one.put("outputDimensionality", request.dimensions());
            }
        }
        Map<String, String> headers = new LinkedHashMap<>(provider.headers());
        headers.putAll(endpoint.headers(provider));
        headers.put("Content-Type", "application/json");
        return new UpstreamRequest(endpoint.uri(provider, upstreamModel, "batchEmbedContents"), headers, UpstreamJson.toBytes(body));
    }

    @Override
    public TranslatedAnswer answer(byte[] body, EmbeddingsRequest request) {
        List<JsonNode> vectors = new ArrayList<>();
        for (JsonNode embedding : UpstreamJson.parseObject(body).path("embeddings")) {
            vectors.add(embedding.path("values"));
        }
        // Gemini reports no tokens for embeddings: the count the client sees is the one metered, counted once.
        long tokens = request.promptTokens(TokenCounter.shared());
        byte[] list = TextEmbeddings.list(vectors, request, tokens);
        return new TranslatedAnswer(list, new Usage(tokens, 0, 0, 0, 0), null, null, List.of());
    }
}
