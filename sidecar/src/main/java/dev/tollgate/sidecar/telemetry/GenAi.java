package dev.tollgate.sidecar.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;
import java.util.Map;

/**
 * Span attribute names: the OpenTelemetry GenAI semantic conventions where they name the thing,
 * {@code tollgate.*} for the rest. Values only; never a prompt, a completion or a credential.
 */
final class GenAi {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> CACHE_CREATION_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
    /** Seconds, as the semantic conventions' metric of the same name. */
    static final AttributeKey<Double> TIME_TO_FIRST_TOKEN = AttributeKey.doubleKey("gen_ai.server.time_to_first_token");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("tollgate.request_id");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("tollgate.route");
    static final AttributeKey<String> PROVIDER_SECRET = AttributeKey.stringKey("tollgate.provider");
    static final AttributeKey<String> UPSTREAM_MODEL = AttributeKey.stringKey("tollgate.upstream_model");
    /** Exact decimal USD, as the usage line writes it; money is never a floating-point number here. */
    static final AttributeKey<String> COST_USD = AttributeKey.stringKey("tollgate.cost_usd");
    static final AttributeKey<Long> COST_MICROS = AttributeKey.longKey("tollgate.cost_micros");
    static final AttributeKey<Boolean> PRICED = AttributeKey.booleanKey("tollgate.priced");
    /** The SpendKey's name, never its token. */
    static final AttributeKey<String> SPEND_KEY = AttributeKey.stringKey("tollgate.spend_key");
    static final AttributeKey<String> FEATURE = AttributeKey.stringKey("tollgate.feature");
    static final AttributeKey<String> END_USER = AttributeKey.stringKey("tollgate.end_user");
    static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("tollgate.usage.reasoning_tokens");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("tollgate.attempts");
    static final AttributeKey<Boolean> STREAMED = AttributeKey.booleanKey("tollgate.streamed");
    static final AttributeKey<String> ATTEMPT_RESULT = AttributeKey.stringKey("tollgate.attempt.result");

    /** The conventions' well-known provider names where one exists; the provider type otherwise. */
    private static final Map<String, String> PROVIDER_NAMES = Map.of(
            "azure-openai", "azure.ai.openai",
            "bedrock", "aws.bedrock",
            "gemini", "gcp.gemini",
            "vertex-ai", "gcp.vertex_ai",
            "mistral", "mistral_ai",
            "xai", "x_ai");

    private GenAi() {
    }

    static String providerName(String providerType) {
        return PROVIDER_NAMES.getOrDefault(providerType, providerType);
    }
}
