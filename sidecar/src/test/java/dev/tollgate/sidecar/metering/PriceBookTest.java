package dev.tollgate.sidecar.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.config.ModelPrice;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceBookTest {
    private static final PriceCatalog CATALOG = PriceCatalog.builtIn();

    @Test
    void routeOverridesBeatThePlatformCatalogWhichBeatsTheBuiltIn() {
        ModelPrice platform = price("gpt-4o", 2_000_000);
        ModelPrice route = price("gpt-4o", 1_000_000);
        PriceBook book = new PriceBook(CATALOG, List.of(platform));

        assertThat(book.price("gpt-4o", List.of(route))).contains(route);
        assertThat(book.price("gpt-4o", List.of())).contains(platform);
        assertThat(new PriceBook(CATALOG, List.of()).price("gpt-4o", List.of()))
                .contains(CATALOG.price("gpt-4o").orElseThrow());
    }

    @Test
    void anOverrideCoversDatedIdsOfItsModel() {
        ModelPrice route = price("gpt-4o", 1_000_000);
        PriceBook book = new PriceBook(CATALOG, List.of());
        assertThat(book.price("gpt-4o-2024-08-06", List.of(route))).contains(route);
        assertThat(book.price("openai/gpt-4o", List.of(route))).contains(route);
    }

    @Test
    void aMoreSpecificCatalogIdWinsOverALessSpecificOverride() {
        ModelPrice route = price("gpt-4o", 1_000_000);
        PriceBook book = new PriceBook(CATALOG, List.of(price("claude-opus-4", 1)));

        assertThat(book.price("gpt-4o-mini", List.of(route))).contains(CATALOG.price("gpt-4o-mini").orElseThrow());
        assertThat(book.price("claude-opus-4-5-20251101", List.of()))
                .contains(CATALOG.price("claude-opus-4-5").orElseThrow());
        assertThat(book.price("claude-opus-4-20250514", List.of())).contains(price("claude-opus-4", 1));
    }

    @Test
    void aPriceForAnAnthropicDatedIdAlsoPricesTheSameModelOnVertexAndBedrock() {
        ModelPrice dated = price("claude-sonnet-4-5-20250929", 2_700_000);
        PriceBook book = new PriceBook(CATALOG, List.of(dated));

        assertThat(book.price("claude-sonnet-4-5@20250929", List.of())).contains(dated);
        assertThat(book.price("global.anthropic.claude-sonnet-4-5-20250929-v1:0", List.of())).contains(dated);
        ModelPrice vertexOverride = price("claude-haiku-4-5@20251001", 900_000);
        assertThat(book.price("claude-haiku-4-5-20251001", List.of(vertexOverride))).contains(vertexOverride);
    }

    @Test
    void modelsOnlyThePlatformKnowsArePricedAndUnknownModelsAreNot() {
        ModelPrice inHouse = price("in-house-llm", 500_000);
        PriceBook book = new PriceBook(CATALOG, List.of(inHouse));
        assertThat(book.price("in-house-llm-v2", null)).contains(inHouse);
        assertThat(book.price("nobody-knows-me", List.of(inHouse))).isEmpty();
    }

    @Test
    void maxOutputTokensComesFromTheCatalogElseTheDefault() {
        PriceBook book = new PriceBook(CATALOG, List.of());
        assertThat(book.maxOutputTokens("gpt-4.1-2025-04-14")).isEqualTo(32_768);
        assertThat(book.maxOutputTokens("nobody-knows-me")).isEqualTo(16_384);
    }

    @Test
    void aPlatformCatalogPricingOneModelTwiceIsRejected() {
        assertThatThrownBy(() -> new PriceBook(CATALOG, List.of(price("m", 1), price("M", 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("platform prices: model 'm' is listed twice");
    }

    private static ModelPrice price(String model, long input) {
        return new ModelPrice(model, input, null, null, input * 4, null);
    }
}
