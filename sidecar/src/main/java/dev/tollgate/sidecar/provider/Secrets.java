package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.config.ProviderConfig;
import java.util.Collection;
import java.util.regex.Pattern;

/** Removes anything key-like from text that may reach a client or a log (provider error messages). */
public final class Secrets {
    private static final Pattern KEY_LIKE = Pattern.compile(
            "(sk-[A-Za-z0-9_*\\-]{6,}|tg_[A-Za-z0-9]{6,}|AIza[0-9A-Za-z_\\-]{10,}|(?i)(api[_-]?key|token|secret)[\"']?\\s*[:=]\\s*[\"']?[^\\s\"',}]+)");

    private Secrets() {
    }

    public static String scrub(String text, ProviderConfig provider) {
        return scrub(text, provider.secretValues());
    }

    public static String scrub(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, "[redacted]");
            }
        }
        return KEY_LIKE.matcher(out).replaceAll("[redacted]");
    }
}
