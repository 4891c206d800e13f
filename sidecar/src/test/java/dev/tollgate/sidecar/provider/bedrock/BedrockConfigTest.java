package dev.tollgate.sidecar.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bedrock provider needs its region (for the URL and the SigV4 scope) and a key pair or an API key. */
class BedrockConfigTest {

    @Test
    void aRegionAndAKeyPairOrAnApiKeyAreRequired() {
        Map<String, String> pair = Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE", "secretAccessKey", "wJalrXUtnFEMIEXAMPLEKEY");

        assertThat(validate(new ProviderConfig("ai/b", "bedrock", null, null, pair, null, Map.of("region", "us-east-1"), null)))
                .isNull();
        assertThat(validate(new ProviderConfig("ai/b", "bedrock", null, "ABSKexample", null, null, Map.of("region", "us-east-1"), null)))
                .isNull();
        assertThat(validate(new ProviderConfig("ai/b", "bedrock", null, null, pair, null, null, null)))
                .startsWith("providers[0].options.region: required");
        assertThat(validate(new ProviderConfig("ai/b", "bedrock", null, null, Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE"),
                null, Map.of("region", "us-east-1"), null)))
                .isEqualTo("providers[0].credentials: bedrock needs accessKeyId and secretAccessKey, or an API key");
    }

    private static String validate(ProviderConfig provider) {
        try {
            new GatewayConfig(null, List.of(provider), null, null, null).validate();
            return null;
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("EXAMPLEKEY");
            return e.getMessage();
        }
    }
}
