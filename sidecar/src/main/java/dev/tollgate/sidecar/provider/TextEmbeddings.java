package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.api.EmbeddingsRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.api.ApiError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI embeddings served by providers that embed text (Google's, Titan): the texts to send, and
 * the vectors they return as OpenAI's embeddings list, in the encoding the client asked for.
 */
public final class TextEmbeddings {
    private TextEmbeddings() {
    }

    /** The texts to embed; these models take no token ids, so those are a 400 before anything is sent. */
    public static List<String> texts(EmbeddingsRequest request) {
        if (request.texts() == null) {
            throw ApiError.badRequest("unsupported_input", "Invalid value for 'input': this model's provider embeds text; "
                    + "send strings, not token ids.");
        }
        return request.texts();
    }

    /**
     * The list object: one item per vector in input order, and {@code usage} with the given prompt
     * token count. Throws {@link InvalidUpstreamResponse} when the provider returned a different number of vectors.
     */
    public static byte[] list(List<JsonNode> vectors, EmbeddingsRequest request, long promptTokens) {
        if (vectors.size() != request.texts().size()) {
            throw new InvalidUpstreamResponse("the provider returned " + vectors.size() + " embeddings for "
                    + request.texts().size() + " inputs");
        }
        boolean base64 = "base64".equals(request.body().path("encoding_format").asText());
        ObjectNode list = UpstreamJson.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            JsonNode values = vectors.get(i);
            if (!values.isArray()) {
                throw new InvalidUpstreamResponse("embedding " + i + " has no values");
            }
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                item.put("embedding", base64(values));
            } else {
                item.set("embedding", values);
            }
        }
        list.put("model", request.model());
        list.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return UpstreamJson.toBytes(list);
    }

    /** OpenAI's base64 form: the vector's float32 values, little-endian. */
    private static String base64(JsonNode values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(v -> bytes.putFloat(v.floatValue()));
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
