package dev.tollgate.sidecar.provider.gemini;

/** Gemini model names as routes may write them: {@code gemini-2.5-flash} or the resource name {@code models/gemini-2.5-flash}. */
public final class GeminiModels {
    private static final String PREFIX = "models/";

    private GeminiModels() {
    }

    /** The model id without the {@code models/} resource prefix, for URLs. */
    public static String bare(String model) {
        return model.startsWith(PREFIX) ? model.substring(PREFIX.length()) : model;
    }

    /** The resource name {@code models/{id}} that embedding requests name inside their body. */
    static String resource(String model) {
        return PREFIX + bare(model);
    }
}
