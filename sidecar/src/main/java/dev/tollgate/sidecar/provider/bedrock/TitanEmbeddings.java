package dev.tollgate.sidecar.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Money;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.TextEmbeddings;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.api.RequestFields;
import dev.tollgate.sidecar.provider.SequentialCalls;
import dev.tollgate.sidecar.provider.UpstreamCall;
import dev.tollgate.sidecar.provider.UpstreamHandler;
import dev.tollgate.sidecar.provider.UpstreamTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * OpenAI embeddings served by Amazon Titan Text Embeddings through InvokeModel
 * ({@code POST /model/{id}/invoke}, {@code {"inputText","dimensions"}} →
 * {@code {"embedding":[...],"inputTextTokenCount":N}}). Titan embeds one text per call, so a list of
 * texts is one call per text, in turn ({@link SequentialCalls}); the vectors keep the input's order and
 * the token counts are summed.
 */
final class TitanEmbeddings implements ApiAdapter<EmbeddingsRequest> {
    /** Calls run one after the other and every vector is held until the answer: a list is kept short. */
    static final int MAX_TEXTS = 128;

    private final BedrockRequests requests;

    TitanEmbeddings(BedrockRequests requests) {
        this.requests = requests;
    }

    static boolean serves(String upstreamModel) {
        return upstreamModel.startsWith("amazon.titan-embed-text-");
    }

    /** The call for a request of one text; a list goes through {@link #open}. */
    @Override
    public UpstreamRequest request(EmbeddingsRequest request, String upstreamModel, ProviderConfig provider) {
        List<String> texts = texts(request);
        if (texts.size() != 1) {
            throw new IllegalStateException("a list of texts is sent one call per text, by send()");
        }
        return call(texts.get(0), request, upstreamModel, provider);
    }

    @Override
    public UpstreamCall send(UpstreamTransport transport, EmbeddingsRequest request, String upstreamModel,
                             ProviderConfig provider, UpstreamHandler handler) {
        List<String> texts = texts(request);
        if (texts.size() == 1) {
            return transport.send(call(texts.get(0), request, upstreamModel, provider), handler);
        }
        List<Supplier<UpstreamRequest>> calls = texts.stream()
                .<Supplier<UpstreamRequest>>map(text -> () -> call(text, request, upstreamModel, provider))
                .toList();
        return SequentialCalls.send(transport, calls, handler);
    }

    private static List<String> texts(EmbeddingsRequest request) {
        List<String> texts = TextEmbeddings.texts(request);
        if (texts.size() > MAX_TEXTS) {
            throw RequestFields.tooLarge("input", texts.size(), MAX_TEXTS,
                    "Bedrock's Titan embeds one text per call; send longer lists in several requests");
        }
        return texts;
    }

    private UpstreamRequest call(String text, EmbeddingsRequest request, String upstreamModel, ProviderConfig provider) {
        ObjectNode body = UpstreamJson.MAPPER.createObjectNode().put("inputText", text);
        if (request.dimensions() != null) {
            body.put("dimensions", request.dimensions());
        }
        return requests.post(provider, upstreamModel, "invoke", body, "application/json");
    }

    /** One Titan answer, or the JSON array of one answer per text from {@link SequentialCalls}. */
    @Override
    public TranslatedAnswer answer(byte[] body, EmbeddingsRequest request) {
        JsonNode tree;
        try {
            tree = UpstreamJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidUpstreamResponse("the provider's answer is not JSON");
        }
        List<JsonNode> answers = new ArrayList<>();
        if (tree != null && tree.isArray()) {
            tree.forEach(answers::add);
        } else {
            answers.add(tree);
        }
        List<JsonNode> vectors = new ArrayList<>(answers.size());
        long tokens = 0;
        for (JsonNode answer : answers) {
            JsonNode embedding = answer == null ? null : answer.get("embedding");
            if (embedding == null || !embedding.isArray() || !answer.path("inputTextTokenCount").isIntegralNumber()) {
                throw new InvalidUpstreamResponse("the provider's answer has no 'embedding' and 'inputTextTokenCount'");
            }
            vectors.add(embedding);
            tokens = Money.saturatedAdd(tokens, answer.get("inputTextTokenCount").longValue());
        }
        return new TranslatedAnswer(TextEmbeddings.list(vectors, request, tokens), new Usage(tokens, 0, 0, 0, 0), null, "", List.of());
    }
}
