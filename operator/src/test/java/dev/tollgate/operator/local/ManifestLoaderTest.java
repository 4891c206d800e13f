package dev.tollgate.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.ProviderSecret;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {
    @TempDir
    Path dir;

    private final ManifestLoader loader = new ManifestLoader(Map.of("OPENAI_API_KEY", "sk-from-env", "ORG", "org-7"));

    @Test
    void readsEveryKindFromMultiDocumentFiles() throws Exception {
        write("all.yaml", """
                # providers and routes in one file
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: mock}
                spec: {provider: mock}
                ---
                ---   # an empty document
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: chat, namespace: team-a}
                spec:
                  models: [chat]
                  backends: [{providerRef: {name: mock, namespace: default}}]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: unrelated}
                """);
        write("keys.yml", """
                apiVersion: tollgate.dev/v1alpha1
                kind: SpendKey
                metadata: {name: demo}
                spec: {budget: {limit: "0.05", period: daily}}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: demo-spendkey}
                stringData: {token: tg_demo}
                """);
        write("notes.txt", "not a manifest");

        Manifests m = loader.load(dir);

        assertThat(m.providerSecrets()).singleElement().satisfies(p -> {
            assertThat(p.getMetadata().getName()).isEqualTo("mock");
            assertThat(p.getMetadata().getNamespace()).isEqualTo("default");
            assertThat(p.getSpec().provider()).isEqualTo("mock");
        });
        assertThat(m.routes()).singleElement().satisfies(r -> {
            assertThat(r.getMetadata().getNamespace()).isEqualTo("team-a");
            assertThat(r.getSpec().backends().get(0).providerRef().namespace()).isEqualTo("default");
        });
        assertThat(m.spendKeys()).singleElement().satisfies(k -> assertThat(k.getSpec().budget().limit()).isEqualTo("0.05"));
        assertThat(m.secrets()).singleElement().satisfies(s -> assertThat(s.getStringData()).containsEntry("token", "tg_demo"));
        assertThat(m.notes()).containsExactly(dir.resolve("all.yaml") + ":15: ignored ConfigMap"
                + " (local mode reads AIRoute, ProviderSecret, SpendKey and Secret)");
    }

    @Test
    void secretValuesTakeEnvironmentVariables() throws Exception {
        write("secrets.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: openai-credentials}
                stringData:
                  api-key: ${OPENAI_API_KEY}
                  org: "org=${ORG};v=1"
                  plain: no-variables
                  missing: ${ANTHROPIC_API_KEY}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: openai}
                spec:
                  provider: openai-compatible
                  baseUrl: "https://${ORG}.example.com/v1"
                  secretRef: {name: openai-credentials}
                """);

        Manifests m = loader.load(dir);

        Secret secret = m.secrets().get(0);
        assertThat(secret.getStringData()).containsExactly(
                Map.entry("api-key", "sk-from-env"), Map.entry("org", "org=org-7;v=1"), Map.entry("plain", "no-variables"));
        assertThat(m.notes()).containsExactly(dir.resolve("secrets.yaml") + ":1: Secret openai-credentials:"
                + " stringData.missing left out: environment variable ANTHROPIC_API_KEY is not set");
        ProviderSecret provider = m.providerSecrets().get(0);
        assertThat(provider.getSpec().baseUrl()).as("only Secret values are substituted")
                .isEqualTo("https://${ORG}.example.com/v1");
    }

    @Test
    void aYamlSyntaxErrorNamesFileAndLine() throws Exception {
        write("a.yaml", """
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: mock}
                spec: {provider: mock}
                """);
        write("routes.yaml", """
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: other}
                spec: {provider: mock}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: chat}
                spec:
                  models: [chat
                  backends: []
                """);

        assertThatThrownBy(() -> loader.load(dir))
                .isInstanceOf(ManifestException.class)
                .hasMessage(dir.resolve("routes.yaml") + ":11: while parsing a flow sequence: expected ',' or ']', but got :");
    }

    @Test
    void aWrongValueNamesFileLineAndField() throws Exception {
        write("routes.yaml", """
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: ok}
                spec: {models: [a], backends: [{providerRef: {name: mock}}]}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: chat}
                spec:
                  models: [chat]
                  backends:
                  - providerRef: {name: mock}
                    weight: lots
                """);

        assertThatThrownBy(() -> loader.load(dir))
                .hasMessage(dir.resolve("routes.yaml") + ":13: spec.backends[0].weight: 'lots' is not a valid Integer");
    }

    @Test
    void anUnknownFieldIsAnErrorNotSilentlyIgnored() throws Exception {
        write("routes.yaml", """
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: chat}
                spec:
                  models: [chat]
                  backend: [{providerRef: {name: mock}}]
                """);

        assertThatThrownBy(() -> loader.load(dir))
                .hasMessage(dir.resolve("routes.yaml") + ":6: spec.backend: unknown field 'backend'");
    }

    @Test
    void wrongApiVersionMissingNameAndDuplicatesAreErrors() throws Exception {
        write("a.yaml", "apiVersion: tollgate.dev/v1\nkind: AIRoute\nmetadata: {name: chat}\n");
        assertThatThrownBy(() -> loader.load(dir))
                .hasMessage(dir.resolve("a.yaml") + ":1: AIRoute: apiVersion must be tollgate.dev/v1alpha1, not 'tollgate.dev/v1'");

        write("a.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {namespace: x}\n");
        assertThatThrownBy(() -> loader.load(dir)).hasMessage(dir.resolve("a.yaml") + ":1: Secret: metadata.name is required");

        write("a.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n");
        write("b.yaml", "# again\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n");
        assertThatThrownBy(() -> loader.load(dir)).hasMessage(
                dir.resolve("b.yaml") + ":3: Secret default/s is already defined at " + dir.resolve("a.yaml") + ":1");
    }

    @Test
    void anEmptyDirectoryHasNoObjectsAndAMissingOneIsAnError() throws Exception {
        assertThat(loader.load(dir).routes()).isEmpty();
        assertThatThrownBy(() -> loader.load(dir.resolve("nope"))).hasMessageEndingWith("nope: not a directory");
    }

    @Test
    void hiddenFilesAreNotManifests() throws Exception {
        write(".#routes.yaml", "garbage: [");
        write("r.yaml", "apiVersion: tollgate.dev/v1alpha1\nkind: AIRoute\nmetadata: {name: r}\nspec: {models: [r]}\n");

        assertThat(loader.load(dir).routes()).extracting(AIRoute::getMetadata).extracting(m -> m.getName()).containsExactly("r");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }
}
