package dev.tollgate.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.config.Snapshot;
import dev.tollgate.operator.config.SnapshotBuilder;
import dev.tollgate.operator.config.SnapshotInputs;
import dev.tollgate.operator.local.ManifestLoader;
import dev.tollgate.operator.local.Manifests;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README sends users to {@code examples/providers}: with their keys in the environment, every
 * example must load into a valid configuration with no problem reported, one provider type each.
 */
class ProviderExamplesTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "providers");

    @Test
    void everyProviderExampleLoadsCleanlyWithItsKeysInTheEnvironment() throws Exception {
        Map<String, String> env = Map.of(
                "OPENAI_API_KEY", "sk-example-openai-0000",
                "ANTHROPIC_API_KEY", "sk-ant-example-0000",
                "GEMINI_API_KEY", "AIzaExample0000000000",
                "AZURE_OPENAI_API_KEY", "azure-example-0000",
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                "VERTEX_SERVICE_ACCOUNT_JSON", serviceAccountJson(),
                "MISTRAL_API_KEY", "mistral-example-0000");

        Manifests manifests = new ManifestLoader(env).load(EXAMPLES);
        Snapshot snapshot = SnapshotBuilder.build(new SnapshotInputs("default", Map.of(), manifests.providerSecrets(),
                manifests.routes(), manifests.spendKeys(), manifests.secrets(), List.of(), "1"));

        assertThat(manifests.notes()).isEmpty();
        assertThat(snapshot.problems()).isEmpty();
        GatewayConfig config = snapshot.config();
        config.validate();
        assertThat(config.providers().stream().map(ProviderConfig::type).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("openai", "anthropic", "gemini", "azure-openai", "bedrock", "vertex-ai",
                        "mistral", "openai-compatible");
        assertThat(config.routes()).hasSize(8);
        ProviderConfig bedrock = provider(config, "bedrock");
        assertThat(bedrock.credentials()).containsEntry("accessKeyId", "AKIDEXAMPLE").containsKey("secretAccessKey");
        assertThat(bedrock.effectiveBaseUrl()).isEqualTo("https://bedrock-runtime.us-east-1.amazonaws.com");
        assertThat(provider(config, "vertex-ai").effectiveBaseUrl()).isEqualTo("https://us-central1-aiplatform.googleapis.com");
    }

    @Test
    void withoutTheirKeysTheExamplesAreLeftOutWithANoteAndNothingBreaks() throws Exception {
        Manifests manifests = new ManifestLoader(Map.of()).load(EXAMPLES);

        assertThat(manifests.notes()).anySatisfy(note -> assertThat(note).contains("OPENAI_API_KEY"));
        Snapshot snapshot = SnapshotBuilder.build(new SnapshotInputs("default", Map.of(), manifests.providerSecrets(),
                manifests.routes(), manifests.spendKeys(), manifests.secrets(), List.of(), "1"));
        snapshot.config().validate();
        assertThat(snapshot.problems()).isNotEmpty();
    }

    private static ProviderConfig provider(GatewayConfig config, String type) {
        return config.providers().stream().filter(p -> p.type().equals(type)).findFirst().orElseThrow();
    }

    /** A throwaway service-account key in Google's JSON shape. */
    private static String serviceAccountJson() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return new ObjectMapper().writeValueAsString(Map.of("type", "service_account", "project_id", "my-project",
                "client_email", "gateway@my-project.iam.gserviceaccount.com", "private_key", pem,
                "token_uri", "https://oauth2.googleapis.com/token"));
    }
}
