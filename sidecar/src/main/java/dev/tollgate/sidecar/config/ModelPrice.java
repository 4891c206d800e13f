package dev.tollgate.sidecar.config;

/**
 * Price of one model in integer micro-dollars per one million tokens (USD 0.15 / 1M = 150000).
 * A null cachedInput or cacheWrite costs as input; a null reasoning costs as output.
 */
public record ModelPrice(String model, long input, Long cachedInput, Long cacheWrite, long output, Long reasoning) {

    public long cachedInputRate() {
        return cachedInput == null ? input : cachedInput;
    }

    public long cacheWriteRate() {
        return cacheWrite == null ? input : cacheWrite;
    }

    public long reasoningRate() {
        return reasoning == null ? output : reasoning;
    }
}
