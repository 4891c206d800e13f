package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.metering.Usage;

/**
 * A complete (non-streamed) answer in the client API's schema, with the usage the provider
 * reported (or null) and, only when usage is missing, the answer text to estimate it from.
 */
public record TranslatedAnswer(byte[] clientBody, Usage usage, String responseModel, CharSequence outputText) {
}
