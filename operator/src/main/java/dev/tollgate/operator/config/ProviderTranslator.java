package dev.tollgate.operator.config;

import dev.tollgate.operator.api.MockSpec;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.ProviderSecretSpec;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.Durations;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.ProviderType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ProviderSecret + its Secret → the sidecar's {@link ProviderConfig}, with the key. */
final class ProviderTranslator {
    private ProviderTranslator() {
    }

    static ProviderConfig translate(ProviderSecret resource, SecretIndex secrets) throws Rejected {
        ProviderSecretSpec spec = resource.getSpec();
        if (spec == null || spec.provider() == null) {
            throw new Rejected("Invalid", "spec.provider is required");
        }
        boolean mock = ProviderType.MOCK.wireName().equals(spec.provider());
        String apiKey = null;
        Map<String, String> credentials = null;
        if (!mock) {
            if (spec.secretRef() == null || spec.secretRef().name() == null) {
                throw new Rejected("Invalid", "spec.secretRef is required unless provider is mock");
            }
            String namespace = ObjectNames.namespace(resource);
            if (ProviderType.BEDROCK.wireName().equals(spec.provider())) {
                credentials = awsCredentials(secrets, namespace, spec.secretRef().name());
            }
            if (credentials == null) {
                apiKey = secrets.value(namespace, spec.secretRef().name(), spec.secretRef().keyOrDefault());
            }
        }
        ProviderConfig config;
        try {
            config = new ProviderConfig(ObjectNames.id(resource), spec.provider(), spec.baseUrl(), apiKey, credentials,
                    spec.headers(), options(spec), mock ? mockConfig(spec.mock()) : null);
            // The sidecar's own validator, on this provider alone, so one bad object spoils nothing else.
            new GatewayConfig(null, List.of(config), null, null, null).validate();
        } catch (ConfigException e) {
            throw new Rejected("Invalid", e.getMessage().replaceFirst("^providers\\[0]\\.", "spec."));
        }
        return config;
    }

    /**
     * A Bedrock Secret's access key pair ({@code accessKeyId}, {@code secretAccessKey}, optional
     * {@code sessionToken}), or null when it holds none and a Bedrock API key is expected instead.
     */
    private static Map<String, String> awsCredentials(SecretIndex secrets, String namespace, String name) throws Rejected {
        String accessKeyId = secrets.optionalValue(namespace, name, "accessKeyId");
        if (accessKeyId == null) {
            return null;
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("accessKeyId", accessKeyId);
        credentials.put("secretAccessKey", secrets.value(namespace, name, "secretAccessKey"));
        String sessionToken = secrets.optionalValue(namespace, name, "sessionToken");
        if (sessionToken != null) {
            credentials.put("sessionToken", sessionToken);
        }
        return credentials;
    }

    /** Provider-specific settings under the names the sidecar's adapters read. */
    private static Map<String, String> options(ProviderSecretSpec spec) {
        Map<String, String> options = new LinkedHashMap<>();
        if (spec.azure() != null) {
            options.put("apiVersion", spec.azure().apiVersion());
        }
        if (spec.bedrock() != null) {
            options.put("region", spec.bedrock().region());
        }
        if (spec.vertex() != null) {
            options.put("project", spec.vertex().project());
            options.put("location", spec.vertex().location());
        }
        options.values().removeIf(v -> v == null);
        return options;
    }

    private static MockConfig mockConfig(MockSpec mock) {
        if (mock == null) {
            return MockConfig.defaults();
        }
        return new MockConfig(
                mock.latency() == null ? 0 : Durations.toMillis(mock.latency(), "spec.mock.latency"),
                mock.chunkDelay() == null ? 0 : Durations.toMillis(mock.chunkDelay(), "spec.mock.chunkDelay"),
                mock.tokensPerChunk() == null ? 0 : mock.tokensPerChunk(),
                mock.failStatus(),
                mock.cutAfterChunks(),
                mock.reply());
    }
}
