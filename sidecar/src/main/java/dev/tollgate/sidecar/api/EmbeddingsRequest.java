package dev.tollgate.sidecar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.api.ApiError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An OpenAI embeddings request ({@code POST /v1/embeddings}). {@code input} is a string, an array
 * of strings, or token ids (an array of integers, or an array of such arrays).
 */
public final class EmbeddingsRequest extends BodyRequest {
    private final List<String> texts;

    private EmbeddingsRequest(ObjectNode body, List<String> texts) {
        super(body);
        this.texts = texts;
    }

    /** Parses and validates; throws {@link ApiError} 400 with a message naming the bad field. */
    public static EmbeddingsRequest parse(byte[] bytes) {
        ObjectNode body = RequestFields.parseObject(bytes);
        RequestFields.requireText(body, "model");
        JsonNode input = RequestFields.require(body, "input", n -> n.isTextual() || n.isArray() && !n.isEmpty(),
                "a string, an array of strings or an array of token ids");
        RequestFields.optional(body, "dimensions", RequestFields::isPositiveInt, "a positive integer");
        RequestFields.optional(body, "encoding_format", n -> n.isTextual()
                && (n.textValue().equals("float") || n.textValue().equals("base64")), "'float' or 'base64'");
        RequestFields.optional(body, "user", JsonNode::isTextual, "a string");
        return new EmbeddingsRequest(body, textsOf(input));
    }

    /** The input texts in order, or null when the input is token ids (which only OpenAI-type providers take). */
    private static List<String> textsOf(JsonNode input) {
        if (input.isTextual()) {
            return List.of(input.textValue());
        }
        if (input.get(0).isTextual()) {
            List<String> texts = new ArrayList<>(input.size());
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isTextual()) {
                    throw RequestFields.wrongType("input[" + i + "]", "a string, like the other items");
                }
                texts.add(input.get(i).textValue());
            }
            return Collections.unmodifiableList(texts);
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            boolean tokenId = item.isIntegralNumber() && item.longValue() >= 0;
            boolean tokenArray = item.isArray() && !item.isEmpty();
            if (!tokenId && !tokenArray) {
                throw RequestFields.wrongType("input[" + i + "]", "a string, a token id or an array of token ids");
            }
        }
        return null;
    }

    /** The texts' tokens, or the number of token ids sent. */
    @Override
    public long promptTokens(TokenCounter counter) {
        if (texts != null) {
            return texts.stream().mapToLong(counter::count).sum();
        }
        long ids = 0;
        for (JsonNode item : body().get("input")) {
            ids += item.isArray() ? item.size() : 1;
        }
        return ids;
    }

    /** Input texts, or null when the client sent token ids. */
    public List<String> texts() {
        return texts;
    }

    /** The requested vector size, or null for the model's default. */
    public Integer dimensions() {
        return body().hasNonNull("dimensions") ? body().get("dimensions").intValue() : null;
    }

    /** An embedding is never streamed. */
    @Override
    public boolean stream() {
        return false;
    }

    /** An embedding produces no output tokens. */
    @Override
    public Long maxTokens() {
        return 0L;
    }
}
