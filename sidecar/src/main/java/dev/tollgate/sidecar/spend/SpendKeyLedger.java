package dev.tollgate.sidecar.spend;

import java.time.Instant;
import java.util.List;

/**
 * A spend key's accounting in its current period, as persisted in local mode and shown in status.
 * The counters cover settled requests of the period; {@code history} holds the last closed periods, oldest first.
 */
public record SpendKeyLedger(String name, Instant periodStart, long spentMicros, long requests,
                             long inputTokens, long outputTokens, Instant lastUsedAt, List<PeriodTotal> history) {

    /** Rejects what cannot be a ledger, so a damaged state file is an error rather than a wrong budget. */
    public SpendKeyLedger {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("spend key ledger: name is required");
        }
        if (periodStart == null) {
            throw new IllegalArgumentException("spend key ledger '" + name + "': periodStart is required");
        }
        if (spentMicros < 0 || requests < 0 || inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("spend key ledger '" + name + "': counters must be >= 0");
        }
        history = history == null ? List.of() : List.copyOf(history);
    }
}
