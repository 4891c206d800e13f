package dev.tollgate.operator.control;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A snapshot's version: the first 52 bits of the SHA-256 of its canonical serialisation, and nothing else (no
 * clock, no counter, no replica). Every replica, and every later process, gives the same content the same version,
 * so a sidecar whose long polls reach different replicas behind the Service waits on either of them instead of
 * taking the other's number for a change. Versions only say "same" or "different"; they do not order. 52 bits keep
 * them exact in a double (the sidecar's version gauge) and leave a collision between two contents of a namespace
 * at odds of about one in 2^52.
 */
final class SnapshotVersions {
    private static final int UNUSED_BITS = Long.SIZE - 52;

    private SnapshotVersions() {
    }

    /** The version of a snapshot whose configuration serialises to {@code content}. */
    static long of(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            long first = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                first = first << 8 | (digest[i] & 0xFFL);
            }
            return first >>> UNUSED_BITS;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
