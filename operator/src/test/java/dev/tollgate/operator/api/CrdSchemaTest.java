package dev.tollgate.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** What kubectl users and the API server get from the committed CRDs. */
class CrdSchemaTest {

    @Test
    void spendKeysListStateSpentLimitRemainingReservedRequestsLastUsedAndAge() throws IOException {
        CustomResourceDefinitionVersion v = version("spendkeys.tollgate.dev-v1.yml");

        assertThat(v.getAdditionalPrinterColumns()).filteredOn(c -> c.getPriority() == 0)
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("State", "Spent", "Limit", "Remaining", "Reserved", "Requests", "Last Used", "Age");
        assertThat(v.getSchema().getOpenAPIV3Schema().getProperties().get("status").getProperties())
                .containsKeys("unreconciled", "history", "leases", "window");
        assertThat(v.getSubresources().getStatus()).isNotNull();
    }

    @Test
    void routesAndProvidersShowTheirConditions() throws IOException {
        assertThat(version("airoutes.tollgate.dev-v1.yml").getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath)
                .contains(tuple("Models", ".spec.models"),
                        tuple("Accepted", ".status.conditions[?(@.type==\"Accepted\")].status"));
        assertThat(version("providersecrets.tollgate.dev-v1.yml").getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Provider", "Ready", "Fingerprint", "Age");
    }

    @Test
    void apiServerChecksProviderRulesAtAdmission() throws IOException {
        JSONSchemaProps spec = spec("providersecrets.tollgate.dev-v1.yml");

        assertThat(spec.getRequired()).containsExactly("provider");
        assertThat(spec.getXKubernetesValidations()).extracting(ValidationRule::getMessage)
                .contains("baseUrl is required when provider is openai-compatible",
                        "secretRef is required unless provider is mock",
                        "azure-openai needs baseUrl (https://RESOURCE.openai.azure.com) and azure.apiVersion",
                        "bedrock needs bedrock.region",
                        "vertex-ai needs vertex.project and vertex.location",
                        "set allowedNamespaces or namespaceSelector, not both");
        assertThat(spec.getXKubernetesValidations()).filteredOn(rule -> rule.getRule().startsWith("self.provider in"))
                .singleElement().satisfies(rule -> {
                    assertThat(rule.getRule()).contains("['openai', 'anthropic',", "'openai-compatible', 'mock']");
                    assertThat(rule.getMessage()).startsWith("provider must be one of openai, anthropic, gemini,");
                });
        assertThat(spec.getProperties().get("bedrock").getRequired()).containsExactly("region");
        assertThat(spec.getProperties().get("vertex").getRequired()).containsExactlyInAnyOrder("project", "location");
    }

    @Test
    void namespaceSelectorKeepsExpressionsAndAnEmptyOneIsRefused() throws IOException {
        JSONSchemaProps spec = spec("providersecrets.tollgate.dev-v1.yml");
        JSONSchemaProps selector = spec.getProperties().get("namespaceSelector");
        JSONSchemaProps requirement = selector.getProperties().get("matchExpressions").getItems().getSchema();

        assertThat(selector.getProperties()).containsOnlyKeys("matchLabels", "matchExpressions");
        assertThat(requirement.getProperties()).containsOnlyKeys("key", "operator", "values");
        assertThat(requirement.getRequired()).containsExactlyInAnyOrder("key", "operator");
        assertThat(requirement.getXKubernetesValidations()).extracting(ValidationRule::getMessage).containsExactly(
                "operator must be In, NotIn, Exists or DoesNotExist",
                "values must be set for In and NotIn, and empty for Exists and DoesNotExist");
        assertThat(spec.getXKubernetesValidations())
                .filteredOn(rule -> rule.getMessage().startsWith("namespaceSelector needs")).singleElement()
                .satisfies(rule -> {
                    assertThat(rule.getRule()).startsWith("!has(self.namespaceSelector) ||")
                            .contains("size(self.namespaceSelector.matchLabels) > 0",
                                    "size(self.namespaceSelector.matchExpressions) > 0");
                    assertThat(rule.getMessage()).isEqualTo(
                            "namespaceSelector needs matchLabels or matchExpressions: an empty selector selects no namespace");
                });
        JSONSchemaProps route = spec("airoutes.tollgate.dev-v1.yml");
        assertThat(route.getXKubernetesValidations()).extracting(ValidationRule::getMessage)
                .contains("workloadSelector supports matchLabels only");
    }

    @Test
    void spendKeyChoicesAreNamedInTheirMessages() throws IOException {
        JSONSchemaProps key = spec("spendkeys.tollgate.dev-v1.yml");

        assertThat(key.getProperties().get("budget").getXKubernetesValidations()).singleElement().satisfies(rule -> {
            assertThat(rule.getRule()).isEqualTo("!has(self.period) || self.period in ['daily', 'weekly', 'monthly', 'total']");
            assertThat(rule.getMessage()).isEqualTo("period must be daily, weekly, monthly or total");
        });
        assertThat(key.getXKubernetesValidations()).extracting(ValidationRule::getMessage)
                .containsExactly("enforcement must be strict or lenient");
        JSONSchemaProps route = spec("airoutes.tollgate.dev-v1.yml");
        assertThat(route.getProperties().get("models").getMinItems()).isEqualTo(1L);
        assertThat(route.getProperties().get("backends").getItems().getSchema().getProperties().get("weight").getMinimum())
                .isZero();
    }

    @Test
    void moneyAndDurationsAreValidatedStrings() throws IOException {
        JSONSchemaProps route = spec("airoutes.tollgate.dev-v1.yml");
        JSONSchemaProps price = route.getProperties().get("pricing").getItems().getSchema();
        JSONSchemaProps key = spec("spendkeys.tollgate.dev-v1.yml");

        assertThat(route.getRequired()).containsExactlyInAnyOrder("models", "backends");
        assertThat(route.getProperties().get("backends").getMinItems()).isEqualTo(1L);
        assertThat("0.15").matches(price.getProperties().get("input").getPattern());
        assertThat("0.1234567").doesNotMatch(price.getProperties().get("input").getPattern());
        assertThat("1m30s").matches(route.getProperties().get("timeouts").getProperties().get("request").getPattern());
        assertThat("30 seconds").doesNotMatch(route.getProperties().get("timeouts").getProperties().get("request").getPattern());
        assertThat(key.getProperties().get("budget").getProperties().get("period").getDefault().asText()).isEqualTo("monthly");
    }

    private static JSONSchemaProps spec(String file) throws IOException {
        return version(file).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    private static CustomResourceDefinitionVersion version(String file) throws IOException {
        try (InputStream in = Files.newInputStream(CrdsAreUpToDateTest.CRDS.resolve(file))) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            assertThat(crd.getSpec().getVersions()).hasSize(1);
            return crd.getSpec().getVersions().get(0);
        }
    }
}
