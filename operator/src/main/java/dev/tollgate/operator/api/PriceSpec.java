package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A model's price in USD per one million tokens, as decimal strings ("0.15"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PriceSpec(
        @Required @JsonPropertyDescription("Upstream model id.")
        String model,
        @Required @Pattern(Formats.MONEY)
        String input,
        @Pattern(Formats.MONEY) @JsonPropertyDescription("Default: the input price.")
        String cachedInput,
        @Pattern(Formats.MONEY) @JsonPropertyDescription("Default: the input price.")
        String cacheWrite,
        @Required @Pattern(Formats.MONEY)
        String output,
        @Pattern(Formats.MONEY) @JsonPropertyDescription("Default: the output price.")
        String reasoning) {
}
