package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Ready (reasons SecretFound, NoSecretNeeded for mock, SecretMissing, KeyMissing, Invalid) and the key's fingerprint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderSecretStatus(
        Long observedGeneration,
        List<Condition> conditions,
        @JsonPropertyDescription("sha256 prefix of the key: shows rotation, never the key.")
        String keyFingerprint) {
}
