package dev.tollgate.operator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.operator.api.PriceSpec;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ModelPrice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The platform's price catalog overrides ({@code tollgate operator --price-catalog FILE}, from the
 * chart's {@code priceCatalog} value): YAML with one key, {@code pricing}, a list of rows shaped
 * like an AIRoute's {@code spec.pricing}. Read once at start; a wrong file stops the operator with
 * the field to fix rather than metering at prices nobody meant.
 */
public final class PriceCatalogFile {
    // Strict: a misspelt field ("ouput") must not silently price a model at the catalog's rate.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private PriceCatalogFile() {
    }

    /** The file's shape. */
    private record Document(List<PriceSpec> pricing) {
    }

    /** @throws IllegalArgumentException naming the file and what is wrong in it */
    public static List<ModelPrice> read(Path file) {
        Document document;
        try {
            // Through a tree: an empty file is "no pricing list", not a parser's end-of-input.
            JsonNode tree = YAML.readTree(file.toFile());
            document = tree == null || tree.isMissingNode() || tree.isNull() ? null : YAML.treeToValue(tree, Document.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("price catalog " + file + ": " + YamlErrors.describe(e));
        } catch (IOException e) {
            throw new IllegalArgumentException("price catalog " + file + ": cannot read it: " + e.getMessage());
        }
        if (document == null || document.pricing() == null) {
            throw new IllegalArgumentException("price catalog " + file + ": needs a 'pricing' list of rows"
                    + " (model, input, output; optional cachedInput, cacheWrite, reasoning)");
        }
        try {
            List<ModelPrice> prices = PriceRows.translate(document.pricing(), "pricing");
            // The sidecar's own checks (a model priced twice), before any sidecar would refuse the snapshot.
            new GatewayConfig(null, List.of(), List.of(), prices, null).validate();
            return prices;
        } catch (ConfigException e) {
            throw new IllegalArgumentException("price catalog " + file + ": " + e.getMessage().replaceFirst("^prices\\[", "pricing["));
        }
    }
}
