package dev.tollgate.sidecar.metering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.config.ModelPrice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link PriceCatalog}: {@code {"pricesAsOf", "source", "models": [...]}}, each model
 * with decimal USD strings per one million tokens, as providers publish them.
 */
final class PriceCatalogJson {
    private PriceCatalogJson() {
    }

    /** Throws IllegalArgumentException naming the document, the entry and the field that is wrong. */
    static PriceCatalog read(byte[] json, String name) {
        JsonNode root;
        try {
            root = ConfigJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot be read: " + e.getMessage());
        }
        JsonNode models = root == null ? null : root.get("models");
        if (models == null || !models.isArray()) {
            throw new IllegalArgumentException(name + ": models: required list");
        }
        List<CatalogEntry> entries = new ArrayList<>(models.size());
        for (int i = 0; i < models.size(); i++) {
            JsonNode model = models.get(i);
            String at = name + ": models[" + i + "]"
                    + (model.path("model").isTextual() ? " (" + model.get("model").textValue() + ")" : "");
            try {
                entries.add(entry(model));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        try {
            return PriceCatalog.of(entries, root.path("pricesAsOf").asText(null));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static CatalogEntry entry(JsonNode node) {
        String model = text(node, "model", true);
        ModelPrice price = new ModelPrice(model, usd(node, "input", true), usd(node, "cachedInput", false),
                usd(node, "cacheWrite", false), usd(node, "output", true), usd(node, "reasoning", false));
        JsonNode max = node.get("maxOutputTokens");
        if (max != null && !(max.isIntegralNumber() && max.canConvertToLong())) {
            throw new IllegalArgumentException("maxOutputTokens: must be a whole number");
        }
        return new CatalogEntry(model, text(node, "provider", true), price, max == null ? null : max.longValue());
    }

    /** Micro-USD per one million tokens from a decimal USD string; null when optional and absent. */
    private static Long usd(JsonNode node, String field, boolean required) {
        String usd = text(node, field, required);
        if (usd == null) {
            return null;
        }
        try {
            return Money.parseUsd(usd);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + ": required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + ": must be a string");
        }
        return value.textValue();
    }
}
