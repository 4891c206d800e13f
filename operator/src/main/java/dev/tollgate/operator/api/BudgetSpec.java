package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Spend allowed per UTC calendar period. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.period) || self.period in ['daily', 'weekly', 'monthly', 'total']",
        message = "period must be daily, weekly, monthly or total")
public record BudgetSpec(
        @Required @Pattern(Formats.MONEY)
        @JsonPropertyDescription("USD per period as a decimal string, at most 6 decimals, e.g. \"50.00\".")
        String limit,
        @Default("monthly")
        @JsonPropertyDescription("daily | weekly | monthly | total; UTC calendar periods. Default monthly.")
        String period) {
}
