package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A scoped credential with a budget; its token lives in Secret NAME-spendkey, key token. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "!has(self.enforcement) || self.enforcement in ['strict', 'lenient']",
        message = "enforcement must be strict or lenient")
public record SpendKeySpec(
        String description,
        BudgetSpec budget,
        @JsonPropertyDescription("Allowed requested model names (trailing * = prefix); empty allows all.")
        List<@Pattern(Formats.MODEL_NAME) String> models,
        RateLimitSpec rateLimit,
        @Pattern(Formats.TIMESTAMP) @JsonPropertyDescription("RFC 3339 time after which the key is refused.")
        String expiresAt,
        @JsonPropertyDescription("Refuse every request while true.")
        boolean suspended,
        @Default("strict")
        @JsonPropertyDescription("strict: no lease, no request; lenient: serve while the operator is unreachable.")
        String enforcement) {

    public SpendKeySpec {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
