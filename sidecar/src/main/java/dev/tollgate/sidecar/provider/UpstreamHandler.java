package dev.tollgate.sidecar.provider;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives a provider's answer as it arrives: the head, then body bytes, then the end, or a failure
 * at any point. Calls never overlap; after {@link #onEnd()} or {@link #onFailure} none follows.
 */
public interface UpstreamHandler {
    void onHead(UpstreamHead head);

    /** Body bytes; the buffer is only valid during the call. */
    void onData(ByteBuffer data);

    void onEnd();

    /** No (complete) answer: refused, reset, TLS failure, cut mid-body, or cancelled. */
    void onFailure(IOException cause);
}
