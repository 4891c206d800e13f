package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/** Per-minute limits; absent means unlimited. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimitSpec(@Min(1) Integer requestsPerMinute, @Min(1) Integer tokensPerMinute) {
}
