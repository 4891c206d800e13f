package dev.tollgate.sidecar.provider;

import java.util.regex.Pattern;

/** Removes anything key-like from text that may reach a client or a log (provider error messages). */
public final class Secrets {
    private static final Pattern KEY_LIKE = Pattern.compile(
            "(sk-[A-Za-z0-9_*\\-]{6,}|tg_[A-Za-z0-9]{6,}|AIza[0-9A-Za-z_\\-]{10,}|(?i)(api[_-]?key|token|secret)[\"']?\\s*[:=]\\s*[\"']?[^\\s\"',}]+)");

    private Secrets() {
    }

    public static String scrub(String text, String providerKey) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (providerKey != null && providerKey.length() >= 4) {
            out = out.replace(providerKey, "[redacted]");
        }
        return KEY_LIKE.matcher(out).replaceAll("[redacted]");
    }
}
