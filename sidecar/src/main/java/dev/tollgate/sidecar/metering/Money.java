package dev.tollgate.sidecar.metering;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** USD as integer micro-dollars. Decimal strings at the edges ("12.50"), {@code long} inside. */
public final class Money {
    public static final long MICROS_PER_USD = 1_000_000L;

    private Money() {
    }

    /** Parses a decimal USD string; throws IllegalArgumentException for anything else or sub-micro precision. */
    public static long parseUsd(String usd) {
        if (usd == null || !usd.trim().matches("\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException("'" + usd + "' is not a USD amount like \"12.50\"");
        }
        try {
            return new BigDecimal(usd.trim()).movePointRight(6).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + usd + "' has more than 6 decimal places");
        }
    }

    /** Formats micro-dollars as a decimal USD string with at least two decimals ("12.50", "0.000150"). */
    public static String formatUsd(long micros) {
        BigDecimal usd = BigDecimal.valueOf(micros).movePointLeft(6).stripTrailingZeros();
        if (usd.scale() < 2) {
            usd = usd.setScale(2, RoundingMode.UNNECESSARY);
        }
        return usd.toPlainString();
    }

    /** Formats micro-dollars with all six decimals ("0.000150"), so machine-read lines keep one shape. */
    public static String formatUsdExact(long micros) {
        return BigDecimal.valueOf(micros, 6).toPlainString();
    }

    /** Micro-dollars as a double in USD, for Prometheus gauges and counters only; never for accounting. */
    public static double toUsdDouble(long micros) {
        return micros / (double) MICROS_PER_USD;
    }
}
