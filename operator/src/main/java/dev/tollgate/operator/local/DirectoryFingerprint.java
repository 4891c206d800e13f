package dev.tollgate.operator.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A hash of the manifest files' names and contents: what changed is noticed whether an editor
 * rewrites, renames or touches a file, and an unchanged directory reloads nothing.
 */
final class DirectoryFingerprint {
    private DirectoryFingerprint() {
    }

    /** 12 hex characters; also the configuration's version, so a printed version names the content. */
    static String of(Path dir) throws ManifestException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        for (Path file : ManifestLoader.manifestFiles(dir)) {
            sha256.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            try {
                sha256.update(Files.readAllBytes(file));
            } catch (IOException e) {
                // Deleted between listing and reading: the next poll sees the directory as it settles.
                sha256.update((byte) 1);
            }
            sha256.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha256.digest()).substring(0, 12);
    }
}
