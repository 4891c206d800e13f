package dev.tollgate.sidecar.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.TokenCounter;

/**
 * A validated request in one of the client APIs the sidecar serves (chat completions, Anthropic
 * messages, embeddings, responses): what routing, spend checks and metering need from any of them.
 */
public interface ClientRequest {
    /** The original body; adapters copy it before changing anything. */
    ObjectNode body();

    /** The model name the client asked for, which routing resolves. */
    String model();

    boolean stream();

    /** The most output tokens the client allows per answer; null when it set no limit (the model's maximum applies). */
    Long maxTokens();

    /** The body field {@link #maxTokens()} came from, to name it in errors. */
    default String maxTokensField() {
        return "max_tokens";
    }

    /** How many answers one request asks for, each up to {@link #maxTokens()} long (chat's {@code n}). */
    default long answers() {
        return 1;
    }

    /** Prompt tokens by the given counter: an upper bound for reservations, an estimate when the provider reported none. */
    long promptTokens(TokenCounter counter);

    /** The end user the body names, or null. */
    String user();
}
