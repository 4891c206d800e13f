package dev.tollgate.sidecar.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.server.ApiError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

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
        if (request.texts() == null) {
            throw ApiError.badRequest("unsupported_by_provider",
                    "'input': Bedrock's Titan embeddings take text, not token ids.");
        }
        if (request.texts().size() != 1) {
            throw ApiError.badRequest("unsupported_by_provider", "'input': Bedrock's Titan embeddings take one text per"
                    + " request; this request has " + request.texts().size() + ". Send one request per text.");
        }
        ObjectNode body = UpstreamJson.MAPPER.createObjectNode().put("inputText", request.texts().get(0));
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
        ObjectNode out = UpstreamJson.MAPPER.createObjectNode();
        out.put("object", "list");
        ObjectNode item = out.putArray("data").addObject();
        item.put("object", "embedding");
        item.put("index", 0);
        if ("base64".equals(request.body().path("encoding_format").asText())) {
            item.put("embedding", base64Floats(embedding));
        } else {
            item.set("embedding", embedding);
        }
        out.put("model", request.model());
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return new TranslatedAnswer(UpstreamJson.toBytes(out), new Usage(tokens, 0, 0, 0, 0), null, "");
    }

    /** OpenAI's base64 form: the vector as little-endian float32s. */
    private static String base64Floats(JsonNode embedding) {
        ByteBuffer bytes = ByteBuffer.allocate(embedding.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode value : embedding) {
            bytes.putFloat(value.floatValue());
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
