package dev.tollgate.operator.control;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;

/**
 * Version numbers for a namespace's snapshots: a counter in the high bits, 20 bits of the content's
 * SHA-256 in the low ones. The counter is {@code max(previous + 1, epoch seconds)}, so versions rise
 * within a process and pass those of an earlier one. Two replicas (or a replica and its predecessor)
 * may reach the same counter; the content bits keep their versions apart unless the content is the
 * same, so a sidecar moving between replicas never takes different content for the version it has.
 * Versions stay below 2^53 (exact in a double, as the sidecar's version gauge holds it) until 2242.
 */
final class SnapshotVersions {
    static final int CONTENT_BITS = 20;
    private static final long CONTENT_MASK = (1L << CONTENT_BITS) - 1;

    private SnapshotVersions() {
    }

    /** The version after {@code previous} (0 for the first) for a snapshot with this content. */
    static long next(long previous, byte[] content, Clock clock) {
        long counter = Math.max((previous >>> CONTENT_BITS) + 1, clock.millis() / 1000);
        return counter << CONTENT_BITS | contentBits(content);
    }

    private static long contentBits(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return ((digest[0] & 0xFFL) << 16 | (digest[1] & 0xFFL) << 8 | (digest[2] & 0xFFL)) & CONTENT_MASK;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
