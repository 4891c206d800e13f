package dev.tollgate.sidecar.provider.bedrock;

import java.util.UUID;

/** Converse answers carry no id; OpenAI clients expect a {@code chatcmpl-} one. */
final class CompletionIds {
    private CompletionIds() {
    }

    static String next() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }
}
