package dev.tollgate.sidecar.spend;

import java.io.IOException;
import java.util.List;

/**
 * Keeps the spend keys' ledgers where a crash of this process cannot take them (local mode's state file).
 * With one, a key with a budget records the budget it is about to use as held before using it.
 */
@FunctionalInterface
public interface LedgerWriter {
    /** Hands the ledgers to the operating system before returning; throws when it cannot. */
    void write(List<SpendKeyLedger> ledgers) throws IOException;
}
