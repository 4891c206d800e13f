package dev.tollgate.sidecar.spend;

/**
 * What a lease could not cover for one request; {@link #NONE} when the request was reserved. {@link #RETIRED}: the
 * key left the configuration, so nothing more is reserved (its lease is being given back).
 */
public enum Shortfall {
    NONE, BUDGET, REQUESTS, TOKENS, RETIRED
}
