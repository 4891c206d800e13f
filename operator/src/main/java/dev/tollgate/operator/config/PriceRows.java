package dev.tollgate.operator.config;

import dev.tollgate.operator.api.PriceSpec;
import dev.tollgate.sidecar.config.ConfigException;
import dev.tollgate.sidecar.config.ModelPrice;
import dev.tollgate.sidecar.metering.Money;
import java.util.ArrayList;
import java.util.List;

/**
 * Price rows as people write them (USD per 1M tokens, decimal strings) → the sidecar's
 * {@link ModelPrice} in micro-dollars. One translation for an AIRoute's {@code pricing} and the
 * platform's price catalog file, so both accept exactly the same rows.
 */
public final class PriceRows {
    private PriceRows() {
    }

    /**
     * @param field where the rows sit, for messages: {@code spec.pricing} gives {@code spec.pricing[2].output: ...}
     * @throws ConfigException naming the first wrong field
     */
    public static List<ModelPrice> translate(List<PriceSpec> rows, String field) {
        List<ModelPrice> prices = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            PriceSpec p = rows.get(i);
            String at = field + "[" + i + "].";
            if (p == null) {
                throw new ConfigException(field + "[" + i + "]: a price row is required, not an empty entry");
            }
            prices.add(new ModelPrice(p.model(), usd(p.input(), at + "input"), usdOrNull(p.cachedInput(), at + "cachedInput"),
                    usdOrNull(p.cacheWrite(), at + "cacheWrite"), usd(p.output(), at + "output"),
                    usdOrNull(p.reasoning(), at + "reasoning")));
        }
        return prices;
    }

    private static long usd(String amount, String field) {
        if (amount == null) {
            throw new ConfigException(field + ": required");
        }
        try {
            return Money.parseUsd(amount);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field + ": " + e.getMessage());
        }
    }

    private static Long usdOrNull(String amount, String field) {
        return amount == null ? null : usd(amount, field);
    }
}
