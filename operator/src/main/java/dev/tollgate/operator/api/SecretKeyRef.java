package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the referring object's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretKeyRef(
        @Required @JsonPropertyDescription("Name of the Secret, in the same namespace.")
        String name,
        @Default(DEFAULT_KEY) @JsonPropertyDescription("Key within the Secret; default api-key.")
        String key) {

    public static final String DEFAULT_KEY = "api-key";

    public String keyOrDefault() {
        return key == null || key.isBlank() ? DEFAULT_KEY : key;
    }
}
