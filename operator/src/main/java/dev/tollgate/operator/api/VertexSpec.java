package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Google Vertex AI settings; the Secret's key holds the service-account JSON. */
public record VertexSpec(
        @Required @JsonPropertyDescription("Google Cloud project id.")
        String project,
        @Required @JsonPropertyDescription("Region, e.g. us-central1.")
        String location) {
}
