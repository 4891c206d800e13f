package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.provider.EventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/** Writes SSE bytes to the client and flushes each event, so nothing is buffered in the sidecar. */
final class ClientSink implements EventSink {
    /** The client went away; distinct from an upstream read failure. */
    static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super("client disconnected", cause);
        }
    }

    private final OutputStream out;
    private final BooleanSupplier connectionOpen;

    /** @param connectionOpen whether the client's connection is still open (the watchdog may close it) */
    ClientSink(OutputStream out, BooleanSupplier connectionOpen) {
        this.out = out;
        this.connectionOpen = connectionOpen;
    }

    @Override
    public void send(byte[] sse) throws ClientGone {
        try {
            out.write(sse);
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        } catch (RuntimeException e) {
            // Undertow's blocking stream can fail this way when the connection is closed under a blocked write.
            if (connectionOpen.getAsBoolean()) {
                throw e;
            }
            throw new ClientGone(new IOException("connection closed while writing", e));
        }
    }
}
