package dev.tollgate.operator.config;

import dev.tollgate.sidecar.spend.SpendKeyRegistry;

/** Identifies a provider key without revealing it: shows that a key was found, and when it rotates. */
public final class KeyFingerprint {
    private KeyFingerprint() {
    }

    /** "sha256:" and the first 12 hex characters of the key's SHA-256. */
    public static String of(String key) {
        return "sha256:" + SpendKeyRegistry.sha256Hex(key).substring(0, 12);
    }
}
