package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.provider.EventSink;
import java.io.IOException;
import java.io.OutputStream;

/** Writes SSE bytes to the client and flushes each event, so nothing is buffered in the sidecar. */
final class ClientSink implements EventSink {
    /** The client went away; distinct from an upstream read failure. */
    static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super("client disconnected", cause);
        }
    }

    private final OutputStream out;

    ClientSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public void send(byte[] sse) throws ClientGone {
        try {
            out.write(sse);
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }
}
