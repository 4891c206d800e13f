package dev.tollgate.sidecar.spend;

/** The lease of a key without a budget: everything fits. */
final class UnlimitedBudget implements BudgetLease {
    static final UnlimitedBudget INSTANCE = new UnlimitedBudget();

    private UnlimitedBudget() {
    }

    @Override
    public boolean tryReserve(long micros) {
        return true;
    }

    @Override
    public void settle(long reservedMicros, long actualMicros) {
        // Nothing to track: the key's ledger records what was spent.
    }

    @Override
    public long remainingMicros() {
        return Long.MAX_VALUE;
    }
}
