package dev.tollgate.sidecar.spend;

/** What a lease could not cover for one request; {@link #NONE} when the request was reserved. */
public enum Shortfall {
    NONE, BUDGET, REQUESTS, TOKENS
}
