package dev.tollgate.sidecar.config;

/** A model name as routes and spend keys list them: exact, or a prefix written with a trailing {@code *}. */
public final class ModelPattern {
    private ModelPattern() {
    }

    public static boolean isPrefix(String pattern) {
        return pattern.endsWith("*");
    }

    /** The pattern without its trailing {@code *}. */
    public static String prefix(String pattern) {
        return pattern.substring(0, pattern.length() - 1);
    }

    public static boolean matches(String pattern, String model) {
        return isPrefix(pattern) ? model.startsWith(prefix(pattern)) : model.equals(pattern);
    }
}
