package dev.tollgate.sidecar.metering;

import dev.tollgate.sidecar.config.ModelPrice;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Layers: route overrides > platform catalog > built-in.
 *
 * <p>The most specific id wins first, the layer second: a route override for "gpt-4o" prices
 * "gpt-4o-2024-08-06" over the catalog's "gpt-4o", but never "gpt-4o-mini", which the catalog
 * names more precisely. Between equally specific ids the higher layer wins.
 */
public final class PriceBook {
    /** Reserved for a model whose output limit no catalog knows; most chat models stop well below it. */
    public static final long DEFAULT_MAX_OUTPUT_TOKENS = 16_384;

    private final PriceCatalog builtIn;
    private final ModelTable<ModelPrice> platform;

    /** Throws IllegalArgumentException when the platform catalog prices one model twice. */
    public PriceBook(PriceCatalog builtIn, List<ModelPrice> platform) {
        this.builtIn = Objects.requireNonNull(builtIn, "builtIn");
        this.platform = new ModelTable<>(Objects.requireNonNull(platform, "platform"), ModelPrice::model, "platform prices");
    }

    /** The price of the model a backend was asked for; empty when no layer knows it (served, but unpriced). */
    public Optional<ModelPrice> price(String upstreamModel, List<ModelPrice> routeOverrides) {
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        List<ModelPrice> overrides = routeOverrides == null ? List.of() : routeOverrides;
        for (String form : ModelIds.forms(upstreamModel)) {
            ModelPrice best = null;
            int bestLength = -1;
            // Few entries per route: a scan is cheaper than building an index per request.
            for (ModelPrice override : overrides) {
                int length = ModelIds.matchLength(ModelIds.normalize(override.model()), form);
                if (length > bestLength) {
                    best = override;
                    bestLength = length;
                }
            }
            ModelTable.Hit<ModelPrice> fromPlatform = platform.find(form);
            if (fromPlatform != null && fromPlatform.length() > bestLength) {
                best = fromPlatform.value();
                bestLength = fromPlatform.length();
            }
            ModelTable.Hit<CatalogEntry> fromCatalog = builtIn.find(form);
            if (fromCatalog != null && fromCatalog.length() > bestLength) {
                best = fromCatalog.value().price();
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    /** The built-in catalog's output limit for the model, else {@link #DEFAULT_MAX_OUTPUT_TOKENS}. */
    public long maxOutputTokens(String upstreamModel) {
        return builtIn.maxOutputTokens(upstreamModel).orElse(DEFAULT_MAX_OUTPUT_TOKENS);
    }

    /** The built-in catalog's output limit for the model; empty when the catalog does not know it. */
    public OptionalLong knownMaxOutputTokens(String upstreamModel) {
        return builtIn.maxOutputTokens(upstreamModel);
    }
}
