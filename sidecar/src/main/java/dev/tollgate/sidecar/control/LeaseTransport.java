package dev.tollgate.sidecar.control;

import dev.tollgate.sidecar.wire.LeaseAnswer;
import dev.tollgate.sidecar.wire.LeaseCall;
import java.io.IOException;

/** How the {@link LeaseKeeper} reaches the operator: {@link ControlClient} in a pod. */
public interface LeaseTransport {
    /** @throws IOException when no usable answer came (unreachable, refused, malformed) */
    LeaseAnswer lease(LeaseCall call) throws IOException, InterruptedException;
}
