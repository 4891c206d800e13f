package dev.tollgate.operator.local;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tollgate.operator.config.SpendKeyTokens;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.control.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tokens local mode generated for spend keys that have no token Secret among the manifests,
 * kept (owner-readable only) so a key's token survives restarts.
 */
final class TokenStore {
    private final Path file;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> tokens;

    TokenStore(Path file) {
        this.file = file;
        this.tokens = load(file);
    }

    Path file() {
        return file;
    }

    /** The saved token of spend key {@code id} (namespace/name), if any. */
    String find(String id) {
        return tokens.get(id);
    }

    /** A fresh token for spend key {@code id}, saved before it is returned. */
    String generate(String id) throws IOException {
        String token = SpendKeyTokens.generate(random);
        tokens.put(id, token);
        AtomicFiles.write(file, ConfigJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tokens));
        return token;
    }

    private static Map<String, String> load(Path file) {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(ConfigJson.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + "; fix it, or delete it to generate new tokens", e);
        }
    }
}
