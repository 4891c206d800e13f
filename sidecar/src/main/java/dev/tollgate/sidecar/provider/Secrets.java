package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.config.ProviderConfig;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Removes anything key-like from text that may reach a client or a log (provider error messages):
 * the provider's configured secrets by value, and by shape every credential a provider may quote,
 * including those the sidecar mints or derives: Google OAuth access tokens ({@code ya29.}), signed
 * JWTs (the service-account assertion), PEM private keys, AWS access key ids, long base64 runs
 * (AWS secret keys and session tokens), and any {@code Bearer} value.
 */
public final class Secrets {
    private static final Pattern KEY_LIKE = Pattern.compile(String.join("|",
            "sk-[A-Za-z0-9_*\\-]{6,}",
            "tg_[A-Za-z0-9]{6,}",
            "AIza[0-9A-Za-z_\\-]{10,}",
            "ya29\\.[0-9A-Za-z_.\\-]+",
            "eyJ[0-9A-Za-z_\\-]+\\.[0-9A-Za-z_\\-]+\\.[0-9A-Za-z_\\-]*",
            "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)",
            "\\b(AKIA|ASIA)[0-9A-Z]{16}\\b",
            "[A-Za-z0-9+/]{40,}={0,2}",
            "(?i)bearer\\s+[^\\s\"',}]+",
            "(?i)(api[_-]?key|token|secret|credential)[\"']?\\s*[:=]\\s*[\"']?[^\\s\"',}]+"));

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
