package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which model names an app may call, and where they go. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
// The sidecar matches pods by labels only; refusing expressions beats ignoring them (the route would widen).
@ValidationRule(value = "!has(self.workloadSelector) || !has(self.workloadSelector.matchExpressions)"
        + " || size(self.workloadSelector.matchExpressions) == 0",
        message = "workloadSelector supports matchLabels only")
public record AIRouteSpec(
        @Required @Size(min = 1) @JsonPropertyDescription("Names apps send in \"model\"; a trailing * makes a prefix.")
        List<@Pattern(Formats.MODEL_NAME) String> models,
        @JsonPropertyDescription("Pods this route applies to, by matchLabels; default: every injected pod in the namespace.")
        LabelSelector workloadSelector,
        @Required @Size(min = 1)
        List<BackendSpec> backends,
        RetrySpec retry,
        TimeoutsSpec timeouts,
        CircuitBreakerSpec circuitBreaker,
        @JsonPropertyDescription("Reject requests that carry no spend key.")
        boolean requireSpendKey,
        @JsonPropertyDescription("Price overrides, looked up before the catalog.")
        List<PriceSpec> pricing) {

    public AIRouteSpec {
        models = models == null ? List.of() : List.copyOf(models);
        backends = backends == null ? List.of() : List.copyOf(backends);
        pricing = pricing == null ? List.of() : List.copyOf(pricing);
    }
}
