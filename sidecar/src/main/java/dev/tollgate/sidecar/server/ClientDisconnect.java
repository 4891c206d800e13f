package dev.tollgate.sidecar.server;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.xnio.ChannelListener;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * Notices a client that closes its connection, or has it reset, while its request is being served. Once the body
 * is read nothing reads the connection until the exchange ends, so a client that left would go unnoticed until
 * the answer is written to it: this reads it meanwhile. End of stream (HTTP/1.1 clients do not half-close a
 * request they still want answered) or a read error completes the future {@link #watch} returns, which the request's stages listen
 * to (the lease wait, the failover, the stream relay). Bytes that arrive are the client's next, pipelined
 * request: they are handed back to Undertow, which parses them once this exchange ends, and the watch stops (a
 * client that is sending has not left). A connection that already holds pipelined bytes, or is not HTTP/1.1, is
 * not watched. The watch ends with the exchange, before Undertow reads the connection for the next request.
 */
final class ClientDisconnect implements ChannelListener<ConduitStreamSourceChannel> {
    /** The status a request the client left is recorded with (there is nobody to send it to). */
    static final int STATUS = 499;
    static final String CODE = "client_disconnected";

    private final HttpServerConnection connection;
    private final ConduitStreamSourceChannel source;
    private final CompletableFuture<Void> left = new CompletableFuture<>();
    // Guarded by this.
    private boolean done;

    private ClientDisconnect(HttpServerConnection connection) {
        this.connection = connection;
        this.source = connection.getChannel().getSourceChannel();
    }

    /**
     * Starts watching the exchange's connection; call on its I/O thread once the whole body is read. The returned
     * future completes when the client is gone, and never if it stays.
     */
    static CompletableFuture<Void> watch(HttpServerExchange exchange) {
        if (!(exchange.getConnection() instanceof HttpServerConnection connection) || connection.getExtraBytes() != null) {
            return new CompletableFuture<>();
        }
        ClientDisconnect watch = new ClientDisconnect(connection);
        exchange.addExchangeCompleteListener((ex, next) -> {
            watch.stop();
            next.proceed();
        });
        // Below the request's own (exhausted) length or chunk decoding: the socket itself.
        watch.source.setConduit(connection.getOriginalSourceConduit());
        watch.source.setReadListener(watch);
        watch.source.resumeReads();
        return watch.left;
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel channel) {
        synchronized (this) {
            if (done) {
                return;
            }
            PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
            boolean handedBack = false;
            try {
                int read = source.read(pooled.getBuffer());
                if (read == 0) {
                    return;
                }
                unwatch();
                if (read > 0) {
                    pooled.getBuffer().flip();
                    connection.ungetRequestBytes(pooled);
                    handedBack = true;
                    return;
                }
            } catch (IOException reset) {
                unwatch();
            } finally {
                if (!handedBack) {
                    pooled.close();
                }
            }
        }
        // Outside the lock: what listens cancels calls and waits that take their own locks.
        left.complete(null);
    }

    /** The exchange ended: Undertow reads the connection again. */
    private synchronized void stop() {
        if (!done) {
            unwatch();
        }
    }

    private void unwatch() {
        done = true;
        source.setReadListener(null);
        source.suspendReads();
    }
}
