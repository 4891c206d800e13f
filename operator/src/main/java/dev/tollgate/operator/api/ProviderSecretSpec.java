package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** One provider account: which provider, where its key lives, which namespaces may use it. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
// On the type, not the record component: the generator would emit a component's rule twice (field and accessor).
@ValidationRule(value = "self.provider in " + ProviderSecretSpec.PROVIDERS,
        message = "provider must be one of " + ProviderSecretSpec.PROVIDER_NAMES)
@ValidationRule(value = "self.provider == 'mock' || has(self.secretRef)",
        message = "secretRef is required unless provider is mock")
@ValidationRule(value = "self.provider != 'openai-compatible' || has(self.baseUrl)",
        message = "baseUrl is required when provider is openai-compatible")
@ValidationRule(value = "self.provider != 'azure-openai' || (has(self.baseUrl) && has(self.azure))",
        message = "azure-openai needs baseUrl (https://RESOURCE.openai.azure.com) and azure.apiVersion")
@ValidationRule(value = "self.provider != 'bedrock' || has(self.bedrock)",
        message = "bedrock needs bedrock.region")
@ValidationRule(value = "self.provider != 'vertex-ai' || has(self.vertex)",
        message = "vertex-ai needs vertex.project and vertex.location")
@ValidationRule(value = "!has(self.mock) || self.provider == 'mock'",
        message = "mock settings are only for provider mock")
@ValidationRule(value = "!(has(self.allowedNamespaces) && has(self.namespaceSelector))",
        message = "set allowedNamespaces or namespaceSelector, not both")
@ValidationRule(value = "!has(self.namespaceSelector)"
        + " || (has(self.namespaceSelector.matchLabels) && size(self.namespaceSelector.matchLabels) > 0)"
        + " || (has(self.namespaceSelector.matchExpressions) && size(self.namespaceSelector.matchExpressions) > 0)",
        message = "namespaceSelector needs matchLabels or matchExpressions: an empty selector selects no namespace")
public record ProviderSecretSpec(
        @Required @JsonPropertyDescription("Provider type: " + PROVIDER_NAMES + ".")
        String provider,
        @Pattern("^https?://.+") @JsonPropertyDescription("API base URL; default per provider, required for openai-compatible and azure-openai.")
        String baseUrl,
        @JsonPropertyDescription("The Secret (same namespace) and key holding the provider key; not needed for mock.")
        SecretKeyRef secretRef,
        @JsonPropertyDescription("Extra static headers sent with every request, e.g. OpenAI-Organization.")
        Map<String, String> headers,
        AzureSpec azure,
        BedrockSpec bedrock,
        VertexSpec vertex,
        @JsonPropertyDescription("Namespaces whose routes may use this provider, besides its own; \"*\" allows all.")
        List<String> allowedNamespaces,
        @JsonPropertyDescription("Namespaces this label selector matches may use this provider too; an empty selector matches none.")
        LabelSelector namespaceSelector,
        @JsonPropertyDescription("Behaviour of the mock provider.")
        MockSpec mock) {

    static final String PROVIDER_NAMES = "openai, anthropic, gemini, azure-openai, bedrock, vertex-ai, mistral, xai,"
            + " deepseek, groq, together, fireworks, openrouter, openai-compatible, mock";
    /** As a CEL list: an "in" check gives a message naming the choices, where a regex pattern would show the regex. */
    static final String PROVIDERS = "['openai', 'anthropic', 'gemini', 'azure-openai', 'bedrock', 'vertex-ai', 'mistral',"
            + " 'xai', 'deepseek', 'groq', 'together', 'fireworks', 'openrouter', 'openai-compatible', 'mock']";

    public ProviderSecretSpec {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        allowedNamespaces = allowedNamespaces == null ? List.of() : List.copyOf(allowedNamespaces);
    }
}
