package dev.tollgate.sidecar.provider.openai;

/** The OpenAI APIs the gateway forwards, with their path under an OpenAI-style base URL. */
public enum OpenAiApi {
    CHAT("chat/completions"),
    EMBEDDINGS("embeddings"),
    RESPONSES("responses");

    private final String path;

    OpenAiApi(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
