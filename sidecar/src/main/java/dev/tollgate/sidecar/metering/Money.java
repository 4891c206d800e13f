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

    /** {@code a + b}, or {@link Long#MAX_VALUE} where it would overflow; for amounts that are upper bounds. */
    public static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow only when both operands have the same sign and the sum has the other.
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    /** {@code a × b} for non-negative operands, or {@link Long#MAX_VALUE} where it would overflow. */
    public static long saturatedMultiply(long a, long b) {
        if (a < 0 || b < 0) {
            throw new IllegalArgumentException("saturated multiply takes amounts >= 0, got " + a + " and " + b);
        }
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
