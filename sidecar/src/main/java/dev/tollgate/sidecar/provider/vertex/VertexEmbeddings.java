package dev.tollgate.sidecar.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.TextEmbeddings;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.gemini.GeminiModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI embeddings through Vertex AI's {@code predict} on Google's embedding models
 * (text-embedding-005, gemini-embedding-001): one instance per text. Each prediction reports its
 * own {@code statistics.token_count}, so the usage is the provider's, not an estimate.
 */
final class VertexEmbeddings implements ApiAdapter<EmbeddingsRequest> {

    @Override
    public UpstreamRequest request(EmbeddingsRequest request, String upstreamModel, ProviderConfig provider) {
        ObjectNode body = UpstreamJson.MAPPER.createObjectNode();
        ArrayNode instances = body.putArray("instances");
        TextEmbeddings.texts(request).forEach(text -> instances.addObject().put("content", text));
        if (request.dimensions() != null) {
            body.putObject("parameters").put("outputDimensionality", request.dimensions());
        }
        Map<String, String> headers = new LinkedHashMap<>(provider.headers());
        headers.put("Content-Type", "application/json");
        return new UpstreamRequest(VertexModelPath.uri(provider, "google", GeminiModels.bare(upstreamModel), "predict"),
                headers, UpstreamJson.toBytes(body));
    }

    @Override
    public TranslatedAnswer answer(byte[] body, EmbeddingsRequest request) {
        List<JsonNode> vectors = new ArrayList<>();
        long tokens = 0;
        for (JsonNode prediction : UpstreamJson.parseObject(body).path("predictions")) {
            JsonNode embeddings = prediction.path("embeddings");
            vectors.add(embeddings.path("values"));
            tokens += embeddings.path("statistics").path("token_count").asLong(0);
        }
        return new TranslatedAnswer(TextEmbeddings.list(vectors, request, tokens), new Usage(tokens, 0, 0, 0, 0), null, null, List.of());
    }
}
