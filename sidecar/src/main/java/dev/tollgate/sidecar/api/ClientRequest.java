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

    /** The most output tokens the client allows; null when it set no limit (the model's maximum applies). */
    Long maxTokens();

    /** Prompt tokens by the given counter: an upper bound for reservations, an estimate when the provider reported none. */
    long promptTokens(TokenCounter counter);

    /** The end user the body names, or null. */
    String user();
}
