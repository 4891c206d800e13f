package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Spend allowed per UTC calendar period. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BudgetSpec(
        @Required @Pattern(Formats.MONEY) @JsonPropertyDescription("USD per period, e.g. \"50.00\".")
        String limit,
        @Default("monthly") @Pattern("^(daily|weekly|monthly|total)$")
        @JsonPropertyDescription("daily | weekly | monthly | total; UTC calendar periods. Default monthly.")
        String period) {
}
