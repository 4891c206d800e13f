package dev.tollgate.sidecar.wire;

import java.time.Instant;

/**
 * What a sidecar says about one lease. Every figure is cumulative over the lease's life, so the
 * operator applies the difference from what it last recorded and a repeated report counts nothing twice.
 *
 * @param key          the SpendKey's name in the caller's namespace (the operator takes the namespace from the caller's token)
 * @param lease        an id the sidecar makes (a random UUID) for one key in one period; an id the operator does
 *                     not know opens a lease, so a retried opening cannot open two
 * @param periodStart  the budget period the lease spends in
 * @param sequence     1 on the opening call, then one more per call on this lease; a sequence at or below the
 *                     recorded one changes nothing and is answered with the lease as recorded
 * @param spentMicros  the cost settled against this lease so far
 * @param requests     requests settled against this lease so far
 * @param inputTokens  input tokens of those requests
 * @param outputTokens output tokens of those requests
 * @param lastUsedAt   when the last of them settled; null before any
 * @param wantMicros   how much unspent budget the sidecar wants to hold after this call (0: none)
 * @param wantRequests how many more requests it wants allowed in the current minute (0: none, or no rate limit)
 * @param wantTokens   how many more tokens it wants allowed in the current minute
 * @param release      the last report: the lease closes and its unspent budget returns to the key
 */
public record LeaseReport(
        String key,
        String lease,
        Instant periodStart,
        long sequence,
        long spentMicros,
        long requests,
        long inputTokens,
        long outputTokens,
        Instant lastUsedAt,
        long wantMicros,
        long wantRequests,
        long wantTokens,
        boolean release) {
}
