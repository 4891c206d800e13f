package dev.tollgate.bench;

/**
 * One target under one load.
 *
 * @param load                what was sent, as the report names it: {@code "1000/s"}, {@code "max"}
 * @param failed              requests that failed or were never sent because the target fell behind
 * @param throughput          successful requests per second, achieved
 * @param firstByte           time to the first body byte; null where not measured (wrk)
 * @param cpuMicrosPerRequest CPU of the target's processes over the run ÷ requests; null for the
 *                            direct call, which has no proxy process
 * @param firstError          the first failure, for the reader; null when none failed
 */
record Measurement(Kind kind, String load, String target, long ok, long failed, double throughput,
                   Latency total, Latency firstByte, Double cpuMicrosPerRequest, String firstError) {

    enum Kind {
        /** Non-streaming, open loop at a fixed rate. */
        FIXED_RATE,
        /** Non-streaming, closed loop as fast as the target answers. */
        MAXIMUM,
        /** Streaming, open loop at a fixed rate. */
        STREAMING
    }
}
