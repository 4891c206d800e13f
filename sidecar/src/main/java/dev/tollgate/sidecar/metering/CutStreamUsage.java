package dev.tollgate.sidecar.metering;

/**
 * What an answer that did not complete (a stream cut by the provider, the client or a timeout) is billed:
 * the larger of what the provider last reported and what the gateway estimates from what it saw. Gemini
 * repeats its counts in every chunk and Anthropic reports the input at the start, so a cut stream often
 * carries an exact prompt count and an output count that stopped short of the text already sent.
 */
public final class CutStreamUsage {
    private CutStreamUsage() {
    }

    /**
     * The input as the provider reported it (its cached and cache-write split included), or the estimate when
     * it reported no input; the output the larger of the report and the tokens of the text seen.
     *
     * @param lastReported the provider's last usage report before the cut, or null
     * @param estimate     the prompt's estimated tokens and the tokens of the output text seen
     */
    public static Usage bill(Usage lastReported, Usage estimate) {
        if (lastReported == null) {
            return estimate;
        }
        boolean inputReported = lastReported.totalInput() > 0;
        long output = Math.max(lastReported.output(), estimate.totalOutput() - lastReported.reasoning());
        return new Usage(inputReported ? lastReported.input() : estimate.input(),
                inputReported ? lastReported.cachedInput() : 0, inputReported ? lastReported.cacheWrite() : 0,
                output, lastReported.reasoning());
    }
}
