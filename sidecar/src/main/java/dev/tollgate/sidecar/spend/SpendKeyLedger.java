package dev.tollgate.sidecar.spend;

import java.time.Instant;
import java.util.List;

/**
 * A spend key's accounting in its current period, as persisted in local mode and shown in status.
 * The counters cover settled requests of the period; {@code history} holds the last closed periods, oldest first.
 * {@code heldMicros} is budget beyond {@code spentMicros} the process may be spending right now (its open
 * reservations, and what it set aside for the next ones) without writing the ledger again: a ledger read back
 * after the process stopped counts it as spent, as nobody can tell what of it was served.
 */
public record SpendKeyLedger(String name, Instant periodStart, long spentMicros, long heldMicros, long requests,
                             long inputTokens, long outputTokens, Instant lastUsedAt, List<PeriodTotal> history) {

    /** Rejects what cannot be a ledger, so a damaged state file is an error rather than a wrong budget. */
    public SpendKeyLedger {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("spend key ledger: name is required");
        }
        if (periodStart == null) {
            throw new IllegalArgumentException("spend key ledger '" + name + "': periodStart is required");
        }
        if (spentMicros < 0 || heldMicros < 0 || requests < 0 || inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("spend key ledger '" + name + "': counters must be >= 0");
        }
        history = history == null ? List.of() : List.copyOf(history);
    }
}
