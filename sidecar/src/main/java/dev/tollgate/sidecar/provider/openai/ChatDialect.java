package dev.tollgate.sidecar.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.ProviderType;

/**
 * Where an OpenAI-type provider's chat-completions request departs from OpenAI's own. Most take
 * OpenAI's body as it is; Mistral answers 422 {@code extra_forbidden} to fields it does not know.
 */
enum ChatDialect {
    /** OpenAI's: a stream asks for the usage chunk metering needs (dropped again when the client did not ask). */
    OPENAI {
        @Override
        void adapt(ObjectNode body, boolean stream) {
            if (stream) {
                body.withObjectProperty("stream_options").put("include_usage", true);
            }
        }
    },
    /**
     * Mistral's: no {@code stream_options} (its last chunk carries the usage anyway) and the output
     * limit only as {@code max_tokens}.
     */
    MISTRAL {
        @Override
        void adapt(ObjectNode body, boolean stream) {
            body.remove("stream_options");
            JsonNode limit = body.remove("max_completion_tokens");
            if (limit != null && !limit.isNull()) {
                body.set("max_tokens", limit);
            }
        }
    };

    /** Rewrites {@code body} (the caller's own copy) into this dialect. */
    abstract void adapt(ObjectNode body, boolean stream);

    static ChatDialect of(ProviderConfig provider) {
        return ProviderType.of(provider.type()) == ProviderType.MISTRAL ? MISTRAL : OPENAI;
    }
}
