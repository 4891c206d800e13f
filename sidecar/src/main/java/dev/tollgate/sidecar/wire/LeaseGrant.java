package dev.tollgate.sidecar.wire;

import java.time.Instant;

/**
 * A lease as the operator recorded it after a report. Figures are cumulative, like the report's, so
 * an answer lost and asked again is the same answer.
 *
 * @param key                the report's key
 * @param lease              the report's lease id
 * @param sequence           the highest sequence applied on this lease
 * @param periodStart        the period the lease spends in; when it is not the current one, the lease grants no
 *                           more and the sidecar should release it and open one for the new period
 * @param grantedMicros      budget granted on this lease so far: the sidecar may spend up to
 *                           {@code grantedMicros - spentMicros}; never decreases (0 for a key without a budget)
 * @param windowStart        the minute the rate allowances below count in; null when the key has no rate limit
 * @param grantedRequests    requests allowed to this lease in that minute, all told
 * @param grantedTokens      tokens allowed to this lease in that minute, all told
 * @param expiresAt          report before this, or the unspent budget counts as spent (unreconciled)
 * @param state              the key's state: Active | BudgetExhausted | Expired | Suspended | Invalid
 * @param keyRemainingMicros the key's {@code limit - spent - reserved} after this call; null without a budget.
 *                           A lenient sidecar cut off from the operator serves up to this and no further
 * @param error              why nothing was granted when the report itself was refused (unknown key, lease of
 *                           another pod, sequence or figures going backwards); null otherwise
 */
public record LeaseGrant(
        String key,
        String lease,
        long sequence,
        Instant periodStart,
        long grantedMicros,
        Instant windowStart,
        long grantedRequests,
        long grantedTokens,
        Instant expiresAt,
        String state,
        Long keyRemainingMicros,
        String error) {
}
