package dev.tollgate.sidecar.spend;

import dev.tollgate.sidecar.config.SpendKeyConfig;

/** Where a key's budget lease comes from: this process (local and file mode) or the operator (in-cluster mode). */
interface LeaseSource {
    /** The whole remaining budget of the period, in process; a new one for every policy or period. */
    LeaseSource IN_PROCESS = inProcess(null);

    /** In process, recording held budget with {@code recorder} before using it (null: nothing is kept on disk). */
    static LeaseSource inProcess(LocalBudgetLease.Recorder recorder) {
        return (current, config, spentMicros, reservedMicros) -> config.budgetMicros() == null
                ? UnlimitedBudget.INSTANCE
                : new LocalBudgetLease(config.budgetMicros(), spentMicros + reservedMicros, recorder);
    }

    /**
     * The lease a key uses from now on: when it is created ({@code current} null), gets a new policy, rolls into a
     * new period or has its ledger restored. Reservations outstanding ({@code reservedMicros}) stay reserved in it.
     */
    BudgetLease lease(BudgetLease current, SpendKeyConfig config, long spentMicros, long reservedMicros);
}
