package dev.tollgate.sidecar.config;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every provider type a ProviderSecret may name, with its API family and default base URL.
 * OpenAI-compatible presets differ from {@code openai} only by base URL.
 */
public enum ProviderType {
    OPENAI("openai", ApiFamily.OPENAI, "https://api.openai.com/v1"),
    MISTRAL("mistral", ApiFamily.OPENAI, "https://api.mistral.ai/v1"),
    XAI("xai", ApiFamily.OPENAI, "https://api.x.ai/v1"),
    DEEPSEEK("deepseek", ApiFamily.OPENAI, "https://api.deepseek.com/v1"),
    GROQ("groq", ApiFamily.OPENAI, "https://api.groq.com/openai/v1"),
    TOGETHER("together", ApiFamily.OPENAI, "https://api.together.xyz/v1"),
    FIREWORKS("fireworks", ApiFamily.OPENAI, "https://api.fireworks.ai/inference/v1"),
    OPENROUTER("openrouter", ApiFamily.OPENAI, "https://openrouter.ai/api/v1"),
    OPENAI_COMPATIBLE("openai-compatible", ApiFamily.OPENAI, null),
    MOCK("mock", ApiFamily.MOCK, null),
    ANTHROPIC("anthropic", ApiFamily.ANTHROPIC, "https://api.anthropic.com"),
    GEMINI("gemini", ApiFamily.GEMINI, "https://generativelanguage.googleapis.com"),
    AZURE_OPENAI("azure-openai", ApiFamily.AZURE_OPENAI, null),
    BEDROCK("bedrock", ApiFamily.BEDROCK, null),
    VERTEX_AI("vertex-ai", ApiFamily.VERTEX, null);

    /** Wire protocols; one adapter each. */
    public enum ApiFamily { OPENAI, MOCK, ANTHROPIC, GEMINI, AZURE_OPENAI, BEDROCK, VERTEX }

    private final String wireName;
    private final ApiFamily family;
    private final String defaultBaseUrl;

    ProviderType(String wireName, ApiFamily family, String defaultBaseUrl) {
        this.wireName = wireName;
        this.family = family;
        this.defaultBaseUrl = defaultBaseUrl;
    }

    public String wireName() {
        return wireName;
    }

    public ApiFamily family() {
        return family;
    }

    /**
     * Where this type's API lives when the provider names no base URL; regional clouds derive it
     * from their options (Bedrock's {@code region}, Vertex's {@code location}). Null: a base URL is required.
     */
    public String defaultBaseUrl(Map<String, String> options) {
        return switch (this) {
            case BEDROCK -> options.containsKey("region")
                    ? "https://bedrock-runtime." + options.get("region") + ".amazonaws.com" : null;
            case VERTEX_AI -> !options.containsKey("location") ? null
                    : options.get("location").equals("global") ? "https://aiplatform.googleapis.com"
                    : "https://" + options.get("location") + "-aiplatform.googleapis.com";
            default -> defaultBaseUrl;
        };
    }

    /** Adapters ask on the request path (the default base URL, the chat dialect): a lookup, not a scan. */
    private static final Map<String, ProviderType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ProviderType::wireName, Function.identity()));

    public static ProviderType of(String wireName) {
        ProviderType type = wireName == null ? null : BY_WIRE_NAME.get(wireName);
        if (type == null) {
            throw new ConfigException("unknown provider type '" + wireName + "'");
        }
        return type;
    }
}
