package dev.tollgate.sidecar.telemetry;

/** Told how many spans or events were not exported (queue full, collector down or refusing). */
@FunctionalInterface
public interface DropCounter {
    DropCounter NONE = (signal, count) -> { };

    void dropped(Signal signal, long count);
}
