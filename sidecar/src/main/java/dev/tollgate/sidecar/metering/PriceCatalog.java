package dev.tollgate.sidecar.metering;

import dev.tollgate.sidecar.config.ModelPrice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** The built-in, dated catalog of list prices, shipped as resource price-catalog.json. */
public final class PriceCatalog {
    static final String RESOURCE = "price-catalog.json";

    private final List<CatalogEntry> entries;
    private final String pricesAsOf;
    private final ModelTable<CatalogEntry> table;

    private PriceCatalog(List<CatalogEntry> entries, String pricesAsOf) {
        this.entries = List.copyOf(entries);
        this.pricesAsOf = pricesAsOf;
        this.table = new ModelTable<>(this.entries, CatalogEntry::model, "price catalog");
    }

    /** Loaded on first use and kept: the resource never changes while the process runs. */
    public static PriceCatalog builtIn() {
        return BuiltIn.CATALOG;
    }

    /** Throws IllegalArgumentException for a missing or malformed date, or a model listed twice. */
    public static PriceCatalog of(List<CatalogEntry> entries, String pricesAsOf) {
        Objects.requireNonNull(entries, "entries");
        try {
            LocalDate.parse(String.valueOf(pricesAsOf));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("pricesAsOf: '" + pricesAsOf + "' is not a date like 2026-11-25");
        }
        return new PriceCatalog(entries, pricesAsOf);
    }

    /** The date the prices were taken, "YYYY-MM-DD". */
    public String pricesAsOf() {
        return pricesAsOf;
    }

    public List<CatalogEntry> entries() {
        return entries;
    }

    /** Exact id, else the known model a dated, variant or vendor-prefixed id names; see {@link ModelIds}. */
    public Optional<ModelPrice> price(String model) {
        return entry(model).map(CatalogEntry::price);
    }

    /** Same lookup as {@link #price}; empty when the model or its limit is unknown. */
    public OptionalLong maxOutputTokens(String model) {
        Long max = entry(model).map(CatalogEntry::maxOutputTokens).orElse(null);
        return max == null ? OptionalLong.empty() : OptionalLong.of(max);
    }

    Optional<CatalogEntry> entry(String model) {
        Objects.requireNonNull(model, "model");
        for (String form : ModelIds.forms(model)) {
            ModelTable.Hit<CatalogEntry> hit = table.find(form);
            if (hit != null) {
                return Optional.of(hit.value());
            }
        }
        return Optional.empty();
    }

    /** For {@link PriceBook}, which weighs this catalog's match against the other layers'. */
    ModelTable.Hit<CatalogEntry> find(String form) {
        return table.find(form);
    }

    private static final class BuiltIn {
        static final PriceCatalog CATALOG = load();

        private static PriceCatalog load() {
            try (InputStream in = PriceCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the sidecar jar");
                }
                return PriceCatalogJson.read(in.readAllBytes(), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }
}
