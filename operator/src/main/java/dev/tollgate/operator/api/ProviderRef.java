package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A ProviderSecret, in the route's namespace unless another is named. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderRef(
        @Required String name,
        @JsonPropertyDescription("Namespace of the ProviderSecret; default: the route's. It must allow the route's namespace.")
        String namespace) {

    /** The ProviderSecret's namespace for a route in {@code routeNamespace}. */
    public String namespaceOr(String routeNamespace) {
        return namespace == null ? routeNamespace : namespace;
    }
}
