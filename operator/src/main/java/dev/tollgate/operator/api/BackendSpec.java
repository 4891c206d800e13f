package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One place a route may send a request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendSpec(
        @Required ProviderRef providerRef,
        @JsonPropertyDescription("Upstream model id; default: the requested name.")
        String model,
        @Min(0) @JsonPropertyDescription("Share within its priority tier; default 1.")
        Integer weight,
        @Min(0) @JsonPropertyDescription("Lower first; higher tiers are fallbacks. Default 0.")
        Integer priority) {
}
