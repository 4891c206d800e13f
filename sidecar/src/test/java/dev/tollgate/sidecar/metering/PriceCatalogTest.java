package dev.tollgate.sidecar.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.config.ModelPrice;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {
    private final PriceCatalog catalog = PriceCatalog.builtIn();

    @Test
    void builtInCatalogIsDatedAndPricesEveryEntryWithAnOutputLimit() {
        assertThat(LocalDate.parse(catalog.pricesAsOf())).isBefore(LocalDate.of(2100, 1, 1));
        assertThat(catalog.entries()).hasSizeGreaterThan(40);
        for (CatalogEntry entry : catalog.entries()) {
            assertThat(entry.price().input()).as(entry.model() + " input").isPositive();
            assertThat(entry.price().output()).as(entry.model() + " output").isNotNegative();
            assertThat(entry.maxOutputTokens()).as(entry.model() + " maxOutputTokens").isNotNull();
            assertThat(catalog.price(entry.model())).contains(entry.price());
        }
    }

    @Test
    void builtInCatalogCoversTheWellKnownModelsOfEachProvider() {
        List<String> models = List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o1", "o3",
                "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "text-embedding-3-small",
                "text-embedding-3-large", "claude-opus-4-1", "claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5",
                "claude-3-5-haiku", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash",
                "mistral-large", "mistral-medium", "mistral-small", "codestral", "grok-4", "grok-3", "grok-3-mini",
                "deepseek-chat", "deepseek-reasoner", "llama-3.3-70b-versatile", "llama-3.1-8b-instant",
                "meta-llama/Llama-3.3-70B-Instruct-Turbo");
        assertThat(models).allSatisfy(model -> assertThat(catalog.price(model)).as(model).isPresent());
    }

    @Test
    void listPricesAreMicroDollarsPerMillionTokens() {
        ModelPrice mini = catalog.price("gpt-4o-mini").orElseThrow();
        assertThat(mini.input()).isEqualTo(150_000);
        assertThat(mini.cachedInput()).isEqualTo(75_000);
        assertThat(mini.output()).isEqualTo(600_000);
        ModelPrice sonnet = catalog.price("claude-sonnet-4-5").orElseThrow();
        assertThat(sonnet.cachedInput()).isEqualTo(300_000);
        assertThat(sonnet.cacheWrite()).isEqualTo(3_750_000);
    }

    @Test
    void datedAndVariantIdsResolveToTheLongestKnownModel() {
        assertThat(modelOf("gpt-4o-mini-2024-07-18")).isEqualTo("gpt-4o-mini");
        assertThat(modelOf("gpt-4o-2024-08-06")).isEqualTo("gpt-4o");
        assertThat(modelOf("gpt-4o-2024-05-13")).isEqualTo("gpt-4o-2024-05-13");
        assertThat(modelOf("gpt-4.1-mini-2025-04-14")).isEqualTo("gpt-4.1-mini");
        assertThat(modelOf("o3-mini-2025-01-31")).isEqualTo("o3-mini");
        assertThat(modelOf("claude-opus-4-20250514")).isEqualTo("claude-opus-4");
        assertThat(modelOf("claude-opus-4-1-20250805")).isEqualTo("claude-opus-4-1");
        assertThat(modelOf("claude-opus-4-5-20251101")).isEqualTo("claude-opus-4-5");
        assertThat(modelOf("claude-3-5-haiku-latest")).isEqualTo("claude-3-5-haiku");
        assertThat(modelOf("claude-sonnet-4-5@20250929")).isEqualTo("claude-sonnet-4-5");
        assertThat(modelOf("gemini-2.5-flash-lite-preview-06-17")).isEqualTo("gemini-2.5-flash-lite");
        assertThat(modelOf("mistral-large-latest")).isEqualTo("mistral-large");
        assertThat(modelOf("mistral-large-2411")).isEqualTo("mistral-large-2411");
    }

    @Test
    void vendorPrefixedIdsResolve() {
        assertThat(modelOf("openai/gpt-4o")).isEqualTo("gpt-4o");
        assertThat(modelOf("models/gemini-2.5-pro")).isEqualTo("gemini-2.5-pro");
        assertThat(modelOf("us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo("claude-sonnet-4-5");
        assertThat(modelOf("anthropic.claude-3-5-haiku-20241022-v1:0")).isEqualTo("claude-3-5-haiku");
        assertThat(modelOf("meta-llama/Llama-3.3-70B-Instruct-Turbo")).isEqualTo("meta-llama/Llama-3.3-70B-Instruct-Turbo");
        assertThat(modelOf("GPT-4o-Mini")).isEqualTo("gpt-4o-mini");
    }

    @Test
    void unknownModelsAndLongerNamesAreNotPriced() {
        assertThat(catalog.price("no-such-model")).isEmpty();
        assertThat(catalog.price("gpt-4o2")).isEmpty();
        assertThat(catalog.price("gpt-4")).isEmpty();
        assertThat(catalog.price("grok-4.9")).isEmpty();
        assertThat(catalog.price("amazon.titan-embed-text-v1")).as("v1 is not v2").isEmpty();
        assertThat(catalog.price("qwen2.5-72b-instruct")).isEmpty();
        assertThat(catalog.maxOutputTokens("no-such-model")).isEmpty();
    }

    @Test
    void everyCloudsIdForAModelResolvesToItsOneRow() {
        // Bedrock: region prefixes (cross-region us./eu./apac., global.), vendor, version and revision.
        for (String id : List.of("anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                // Vertex AI: "@date" versions, as given and as a publisher path.
                "claude-sonnet-4-5@20250929", "publishers/anthropic/models/claude-sonnet-4-5@20250929")) {
            assertThat(modelOf(id)).as(id).isEqualTo("claude-sonnet-4-5");
        }
        assertThat(modelOf("us.anthropic.claude-haiku-4-5-20251001-v1:0")).isEqualTo("claude-haiku-4-5");
        assertThat(modelOf("claude-opus-4-1@20250805")).isEqualTo("claude-opus-4-1");
        assertThat(modelOf("amazon.nova-pro-v1:0")).isEqualTo("nova-pro");
        assertThat(modelOf("us.amazon.nova-lite-v1:0")).isEqualTo("nova-lite");
        assertThat(modelOf("amazon.nova-micro-v1:0")).isEqualTo("nova-micro");
        assertThat(modelOf("us.amazon.nova-premier-v1:0")).isEqualTo("nova-premier");
        assertThat(modelOf("amazon.titan-embed-text-v2:0")).isEqualTo("titan-embed-text-v2");
        assertThat(modelOf("meta.llama3-3-70b-instruct-v1:0")).isEqualTo("llama3-3-70b-instruct");
        assertThat(modelOf("us.meta.llama3-1-8b-instruct-v1:0")).isEqualTo("llama3-1-8b-instruct");
        assertThat(modelOf("publishers/google/models/gemini-2.5-flash")).isEqualTo("gemini-2.5-flash");
        assertThat(modelOf("gemini-embedding-001")).isEqualTo("gemini-embedding-001");
    }

    @Test
    void newerModelsAreNotPricedAsTheOlderModelTheirNameStartsWith() {
        // grok-4-1-fast costs a fifteenth of grok-4: the longer known id must win.
        assertThat(modelOf("grok-4-1-fast-reasoning")).isEqualTo("grok-4-1-fast");
        assertThat(modelOf("grok-4-0709")).isEqualTo("grok-4");
        assertThat(modelOf("grok-4.20-0309-reasoning")).isEqualTo("grok-4.20");
        assertThat(modelOf("gemini-3-flash-preview")).isEqualTo("gemini-3-flash");
        assertThat(modelOf("gemini-3.1-pro-preview")).isEqualTo("gemini-3.1-pro");
        assertThat(modelOf("gemini-3.1-flash-lite-preview")).isEqualTo("gemini-3.1-flash-lite");
        assertThat(modelOf("mistral-medium-latest")).isEqualTo("mistral-medium-latest");
        assertThat(modelOf("mistral-medium-2508")).isEqualTo("mistral-medium");
        assertThat(modelOf("magistral-medium-2509")).isEqualTo("magistral-medium");
    }

    @Test
    void providersListPricesForTheAddedModels() {
        assertThat(catalog.price("us.amazon.nova-pro-v1:0")).contains(new ModelPrice("nova-pro", 800_000, 200_000L, null, 3_200_000, null));
        assertThat(catalog.price("amazon.titan-embed-text-v2:0")).contains(new ModelPrice("titan-embed-text-v2", 20_000, null, null, 0, null));
        assertThat(catalog.price("gemini-embedding-001")).contains(new ModelPrice("gemini-embedding-001", 150_000, null, null, 0, null));
        assertThat(catalog.price("gemini-3.1-pro-preview")).contains(new ModelPrice("gemini-3.1-pro", 2_000_000, 200_000L, null, 12_000_000, null));
        assertThat(catalog.price("grok-4-1-fast-non-reasoning")).contains(new ModelPrice("grok-4-1-fast", 200_000, 50_000L, null, 500_000, null));
        ModelPrice vertexSonnet = catalog.price("claude-sonnet-4-5@20250929").orElseThrow();
        assertThat(List.of(vertexSonnet.input(), vertexSonnet.cachedInputRate(), vertexSonnet.cacheWriteRate(), vertexSonnet.output()))
                .containsExactly(3_000_000L, 300_000L, 3_750_000L, 15_000_000L);
        assertThat(catalog.maxOutputTokens("amazon.titan-embed-text-v2:0")).hasValue(0);
    }

    @Test
    void maxOutputTokensUsesTheSameLookup() {
        assertThat(catalog.maxOutputTokens("gpt-4o-mini-2024-07-18")).hasValue(16_384);
        assertThat(catalog.maxOutputTokens("us.anthropic.claude-opus-4-1-20250805-v1:0")).hasValue(32_000);
        assertThat(catalog.maxOutputTokens("text-embedding-3-small")).hasValue(0);
    }

    @Test
    void ofRejectsABadDateAndAModelListedTwice() {
        CatalogEntry a = entry("m-1", 1, 2);
        assertThatThrownBy(() -> PriceCatalog.of(List.of(a), "last tuesday"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pricesAsOf");
        assertThatThrownBy(() -> PriceCatalog.of(List.of(a, entry("M-1", 3, 4)), "2026-01-01"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'m-1' is listed twice");
        assertThat(PriceCatalog.of(List.of(a), "2026-01-01").price("m-1-2026")).contains(a.price());
    }

    @Test
    void entriesRejectNegativePricesAndAPriceForAnotherModel() {
        assertThatThrownBy(() -> entry("m", -1, 2)).hasMessageContaining("'m': input must be >= 0");
        assertThatThrownBy(() -> new CatalogEntry("m", "openai", new ModelPrice("n", 1, null, null, 1, null), 10L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'m'");
        assertThatThrownBy(() -> new CatalogEntry("m", "openai", new ModelPrice("m", 1, null, null, 1, null), -1L))
                .hasMessageContaining("maxOutputTokens must be >= 0");
    }

    @Test
    void catalogJsonErrorsNameTheEntryAndField() {
        assertThatThrownBy(() -> read("{\"pricesAsOf\":\"2026-01-01\",\"models\":[{\"model\":\"x\",\"provider\":\"openai\",\"input\":\"1\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("t.json: models[0] (x): output: required");
        assertThatThrownBy(() -> read("{\"pricesAsOf\":\"2026-01-01\",\"models\":[{\"model\":\"x\",\"provider\":\"openai\",\"input\":1.5,\"output\":\"1\"}]}"))
                .hasMessage("t.json: models[0] (x): input: must be a string");
        assertThatThrownBy(() -> read("{\"pricesAsOf\":\"2026-01-01\",\"models\":[{\"model\":\"x\",\"provider\":\"openai\",\"input\":\"1.0000001\",\"output\":\"1\"}]}"))
                .hasMessageContaining("input: '1.0000001' has more than 6 decimal places");
        assertThatThrownBy(() -> read("{\"models\":[]}")).hasMessageContaining("t.json: pricesAsOf");
        assertThatThrownBy(() -> read("{\"pricesAsOf\":\"2026-01-01\"}")).hasMessage("t.json: models: required list");
        assertThatThrownBy(() -> read("{")).hasMessageStartingWith("t.json: not valid JSON");
    }

    @Test
    void catalogJsonReadsOptionalRates() {
        PriceCatalog parsed = read("""
                {"pricesAsOf":"2026-01-01","models":[{"model":"x","provider":"anthropic","input":"3","cachedInput":"0.30",
                 "cacheWrite":"3.75","output":"15","reasoning":"20","maxOutputTokens":64000}]}""");
        assertThat(parsed.price("x")).contains(new ModelPrice("x", 3_000_000, 300_000L, 3_750_000L, 15_000_000, 20_000_000L));
        assertThat(parsed.maxOutputTokens("x")).hasValue(64_000);
    }

    private String modelOf(String requested) {
        return catalog.price(requested).orElseThrow(() -> new AssertionError("no price for " + requested)).model();
    }

    private static CatalogEntry entry(String model, long input, long output) {
        return new CatalogEntry(model, "openai", new ModelPrice(model, input, null, null, output, null), 100L);
    }

    private static PriceCatalog read(String json) {
        return PriceCatalogJson.read(json.getBytes(StandardCharsets.UTF_8), "t.json");
    }
}
