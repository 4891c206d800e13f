package dev.tollgate.sidecar.spend;

/** A request a spend key let through, holding its reservation until it is settled or cancelled. */
public interface Admission {
    /** Records the actual cost and tokens; the first of settle/cancel wins, later calls are ignored. */
    void settle(long costMicros, long inputTokens, long outputTokens);

    /** Nothing was spent (the request never reached a provider): releases the reservation and rate-limit tokens, counts nothing. */
    void cancel();
}
