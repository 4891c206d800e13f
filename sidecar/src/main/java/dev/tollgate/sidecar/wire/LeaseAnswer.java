package dev.tollgate.sidecar.wire;

import java.util.List;

/** The control API's answer to a {@link LeaseCall}: one grant per report, in the call's order. */
public record LeaseAnswer(List<LeaseGrant> leases) {
    public LeaseAnswer {
        leases = leases == null ? List.of() : List.copyOf(leases);
    }
}
