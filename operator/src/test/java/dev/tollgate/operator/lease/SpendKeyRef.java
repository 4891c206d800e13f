package dev.tollgate.operator.lease;

/** A SpendKey of team-a by name, and the token an application sends for it. */
record SpendKeyRef(String name, String token) {
    @Override
    public String toString() {
        return "SpendKeyRef[" + name + "]"; // never the token
    }
}
