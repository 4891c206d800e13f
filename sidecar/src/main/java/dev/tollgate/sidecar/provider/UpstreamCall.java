package dev.tollgate.sidecar.provider;

/** One exchange in flight. Every method may be called from any thread. */
public interface UpstreamCall {
    /** Stops reading the answer (the provider's TCP window then fills) until {@link #resume()}. */
    void pause();

    void resume();

    /** Drops the exchange and its connection; the handler may still see a failure, or nothing more. */
    void cancel();
}
