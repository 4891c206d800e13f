package dev.tollgate.sidecar.metering;

/** Where usage lines go; called once per finished request, from any thread. */
@FunctionalInterface
public interface UsageSink {
    void record(UsageRecord record);
}
