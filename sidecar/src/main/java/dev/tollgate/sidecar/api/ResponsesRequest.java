package dev.tollgate.sidecar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.api.ApiError;

/** An OpenAI Responses API request ({@code POST /v1/responses}), passed through to OpenAI-type backends. */
public final class ResponsesRequest extends BodyRequest {
    private static final String MAX_OUTPUT_TOKENS = "max_output_tokens";

    private ResponsesRequest(ObjectNode body) {
        super(body);
    }

    /** Parses and validates; throws {@link ApiError} 400 with a message naming the bad field. */
    public static ResponsesRequest parse(byte[] bytes) {
        ObjectNode body = RequestFields.parseObject(bytes);
        RequestFields.requireText(body, "model");
        RequestFields.require(body, "input", n -> n.isTextual() || n.isArray(), "a string or an array of input items");
        RequestFields.optional(body, "stream", JsonNode::isBoolean, "a boolean");
        RequestFields.optionalTokenLimit(body, MAX_OUTPUT_TOKENS);
        RequestFields.optional(body, "user", JsonNode::isTextual, "a string");
        return new ResponsesRequest(body);
    }

    @Override
    public long promptTokens(TokenCounter counter) {
        return counter.estimateTreeTokens(body().get("instructions")) + counter.estimateTreeTokens(body().get("input"))
                + counter.estimateTreeTokens(body().get("tools"));
    }

    @Override
    public Long maxTokens() {
        return body().hasNonNull(MAX_OUTPUT_TOKENS) ? body().get(MAX_OUTPUT_TOKENS).longValue() : null;
    }

    @Override
    public String maxTokensField() {
        return MAX_OUTPUT_TOKENS;
    }

    /** {@code user}, or its successor {@code safety_identifier}. */
    @Override
    public String user() {
        JsonNode user = body().hasNonNull("user") ? body().get("user") : body().get("safety_identifier");
        return user == null ? null : user.textValue();
    }
}
