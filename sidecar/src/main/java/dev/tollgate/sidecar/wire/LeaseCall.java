package dev.tollgate.sidecar.wire;

import java.util.List;

/**
 * A sidecar's {@code POST /v1/leases} to the control API: one report per spend-key lease it holds or
 * opens. One call carries every key, so a sidecar makes one call per round whatever its key count.
 */
public record LeaseCall(List<LeaseReport> leases) {
    public LeaseCall {
        leases = leases == null ? List.of() : List.copyOf(leases);
    }
}
