package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Azure OpenAI settings. */
public record AzureSpec(
        @Required @JsonPropertyDescription("The api-version query parameter, e.g. 2024-10-21.")
        String apiVersion) {
}
