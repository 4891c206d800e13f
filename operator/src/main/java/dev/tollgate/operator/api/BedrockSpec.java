package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** AWS Bedrock settings. */
public record BedrockSpec(
        @Required @JsonPropertyDescription("AWS region, e.g. us-east-1.")
        String region) {
}
