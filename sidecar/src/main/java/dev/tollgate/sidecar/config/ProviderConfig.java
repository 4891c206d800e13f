package dev.tollgate.sidecar.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One provider account. {@code id} is the ProviderSecret's {@code namespace/name}. {@code apiKey} is
 * the key of single-key providers; {@code credentials} holds the named parts of multi-part ones
 * (Bedrock's {@code accessKeyId}, {@code secretAccessKey}, {@code sessionToken}). Both are secret
 * and must never reach a log line, a metric or an error message. {@code options} carries
 * provider-specific settings (Azure apiVersion, Bedrock region, ...).
 */
public record ProviderConfig(
        String id,
        String type,
        String baseUrl,
        String apiKey,
        Map<String, String> credentials,
        Map<String, String> headers,
        Map<String, String> options,
        MockConfig mock) {

    public ProviderConfig {
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** The base URL to call: the configured one, else the provider type's default. */
    public String effectiveBaseUrl() {
        if (baseUrl != null && !baseUrl.isBlank()) {
            return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        }
        return ProviderType.of(type).defaultBaseUrl(options);
    }

    /** Every secret value this provider holds, for scrubbing text that may reach a client or a log. */
    public List<String> secretValues() {
        List<String> values = new ArrayList<>(credentials.values());
        if (apiKey != null) {
            values.add(apiKey);
        }
        return values;
    }

    @Override
    public String toString() {
        // Records print every component; the key must never be one of them.
        return "ProviderConfig[id=" + id + ", type=" + type + ", baseUrl=" + baseUrl + "]";
    }
}
