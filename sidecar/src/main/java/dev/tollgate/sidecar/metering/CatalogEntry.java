package dev.tollgate.sidecar.metering;

import dev.tollgate.sidecar.config.ModelPrice;

/**
 * One model's list price in a {@link PriceCatalog}.
 *
 * @param model           the provider's model id, e.g. "gpt-4o-mini"
 * @param provider        the provider type that publishes the price, e.g. "openai"
 * @param price           micro-USD per one million tokens; its model is {@code model}
 * @param maxOutputTokens the most output one request can produce, or null when unknown
 */
public record CatalogEntry(String model, String provider, ModelPrice price, Long maxOutputTokens) {

    public CatalogEntry {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("catalog entry: model is required");
        }
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("catalog entry '" + model + "': provider is required");
        }
        if (price == null || !model.equals(price.model())) {
            throw new IllegalArgumentException("catalog entry '" + model + "': needs a price for that model");
        }
        requireNotNegative(model, "input", price.input());
        requireNotNegative(model, "cachedInput", price.cachedInputRate());
        requireNotNegative(model, "cacheWrite", price.cacheWriteRate());
        requireNotNegative(model, "output", price.output());
        requireNotNegative(model, "reasoning", price.reasoningRate());
        if (maxOutputTokens != null) {
            requireNotNegative(model, "maxOutputTokens", maxOutputTokens);
        }
    }

    private static void requireNotNegative(String model, String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("catalog entry '" + model + "': " + field + " must be >= 0");
        }
    }
}
