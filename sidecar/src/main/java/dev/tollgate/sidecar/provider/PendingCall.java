package dev.tollgate.sidecar.provider;

/**
 * A call whose exchange is started later or elsewhere (after a token arrives, after the send returns):
 * pause and cancel asked before it exists are applied to it when it is set.
 */
public final class PendingCall implements UpstreamCall {
    // Guarded by this.
    private UpstreamCall call;
    private boolean paused;
    private boolean cancelled;

    /** The started exchange; cancelled at once if the caller already gave up. */
    public synchronized void set(UpstreamCall started) {
        call = started;
        if (cancelled) {
            started.cancel();
        } else if (paused) {
            started.pause();
        }
    }

    public synchronized boolean cancelled() {
        return cancelled;
    }

    @Override
    public synchronized void pause() {
        paused = true;
        if (call != null) {
            call.pause();
        }
    }

    @Override
    public synchronized void resume() {
        paused = false;
        if (call != null) {
            call.resume();
        }
    }

    @Override
    public synchronized void cancel() {
        cancelled = true;
        if (call != null) {
            call.cancel();
        }
    }
}
