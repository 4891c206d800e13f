package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.metering.Usage;
import java.util.List;

/**
 * A complete (non-streamed) answer in the client API's schema, with the usage the provider
 * reported (or null), only when usage is missing the answer text to estimate it from, and why the
 * model stopped ({@link FinishReasons}; empty for embeddings).
 */
public record TranslatedAnswer(byte[] clientBody, Usage usage, String responseModel, CharSequence outputText,
                               List<String> finishReasons) {
    public TranslatedAnswer {
        finishReasons = List.copyOf(finishReasons);
    }
}
