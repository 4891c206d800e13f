package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.metering.Usage;

/**
 * A complete (non-streamed) answer translated to OpenAI's schema, with the usage it reported (or
 * null) and, only when usage is missing, the answer text to estimate it from.
 */
public record ChatAnswer(byte[] openAiBody, Usage usage, String responseModel, CharSequence outputText) {
}
