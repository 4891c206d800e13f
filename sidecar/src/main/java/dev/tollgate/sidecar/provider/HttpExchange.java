package dev.tollgate.sidecar.provider;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.ssl.SslConnection;

/**
 * One request to a provider and its answer, on one IO thread from start to end: a kept-alive
 * connection or a new one, the request written, the head and body bytes handed to the handler as the
 * connection reads them. Everything runs on that thread (calls from elsewhere are handed to it), so
 * the handler's calls never overlap and the state needs no lock. {@link #pause()} stops reading the
 * socket (the provider's TCP window fills), {@link #resume()} reads on at once; {@link #cancel()} closes
 * the connection. A connection goes back to the idle pool only after an answer was read to its end.
 */
final class HttpExchange implements UpstreamCall {
    /** Headers the client sets itself from the body and the connection. */
    private static final Set<String> MANAGED = Set.of("content-length", "host", "connection", "transfer-encoding");
    /**
     * Reads in one turn of the IO thread: a provider sending faster than it is read would otherwise keep the
     * thread in one read loop, its other connections and a pause asked from another thread waiting.
     */
    static final int READS_PER_TURN = 8;
    /** The cipher suite of a TLS session that was never established. */
    private static final String NO_SESSION = "SSL_NULL_WITH_NULL_NULL";

    private final HttpTransport transport;
    private final XnioIoThread thread;
    private final IdleConnections idle;
    /** Until it is written: a stream's connection lives for minutes, its request need not. */
    private UpstreamRequest request;
    private final String origin;
    private final UpstreamHandler handler;
    private ClientConnection connection;
    private StreamSourceChannel body;
    private XnioExecutor.Key connectTimer;
    private boolean requestSent;
    private boolean paused;
    private boolean reading;
    private boolean over;

    HttpExchange(HttpTransport transport, XnioIoThread thread, IdleConnections idle, UpstreamRequest request,
                 UpstreamHandler handler) {
        this.transport = transport;
        this.thread = thread;
        this.idle = idle;
        this.request = request;
        this.origin = HttpTransport.origin(request.uri());
        this.handler = handler;
    }

    /** On the exchange's thread: a kept-alive connection if there is one, else a new one within the connect timeout. */
    void start() {
        if (over) {
            return; // cancelled before it started
        }
        ClientConnection kept = idle.take(origin);
        if (kept != null) {
            send(kept);
            return;
        }
        connectTimer = thread.executeAfter(() -> fail(new IOException("no connection to " + origin + " within "
                + transport.connectTimeoutMs() + " ms")), transport.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        transport.connect(request.uri(), thread, new ClientCallback<>() {
            @Override
            public void completed(ClientConnection opened) {
                if (connection != null) {
                    return; // the same connection reported again (Undertow's TLS path may); it is in use
                }
                connectTimer.remove();
                if (over) {
                    IoUtils.safeClose(opened); // cancelled or timed out meanwhile
                    return;
                }
                send(opened);
            }

            @Override
            public void failed(IOException e) {
                connectTimer.remove();
                fail(e);
            }
        });
    }

    private void send(ClientConnection to) {
        connection = to;
        URI uri = request.uri();
        String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        ClientRequest out = new ClientRequest().setMethod(Methods.POST)
                .setPath(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
        out.getRequestHeaders().put(Headers.HOST, uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
        out.getRequestHeaders().put(Headers.CONTENT_TYPE, "application/json");
        for (var header : request.headers().entrySet()) {
            if (!MANAGED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                out.getRequestHeaders().put(new HttpString(header.getKey()), header.getValue());
            }
        }
        out.getRequestHeaders().put(Headers.CONTENT_LENGTH, request.body().length);
        to.sendRequest(out, new ClientCallback<>() {
            @Override
            public void completed(ClientExchange exchange) {
                exchange.setResponseListener(new ClientCallback<>() {
                    @Override
                    public void completed(ClientExchange answered) {
                        head(answered);
                    }

                    @Override
                    public void failed(IOException e) {
                        fail(e);
                    }
                });
                write(exchange.getRequestChannel(), ByteBuffer.wrap(request.body()));
            }

            @Override
            public void failed(IOException e) {
                fail(e);
            }
        });
    }

    /** Writes the body as far as the connection takes it, the rest when it is writable again. */
    private void write(StreamSinkChannel sink, ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) {
                if (sink.write(bytes) == 0) {
                    sink.getWriteSetter().set(writable -> write(sink, bytes));
                    sink.resumeWrites();
                    return;
                }
            }
            sink.shutdownWrites();
            if (!sink.flush()) {
                sink.getWriteSetter().set(ChannelListeners.flushingChannelListener(flushed -> sent(),
                        (channel, e) -> fail(e)));
                sink.resumeWrites();
                return;
            }
            sink.suspendWrites();
            sent();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void sent() {
        requestSent = true;
        request = null;
    }

    private void head(ClientExchange answered) {
        if (over) {
            return;
        }
        ClientResponse response = answered.getResponse();
        Map<String, String> headers = new HashMap<>();
        for (HeaderValues values : response.getResponseHeaders()) {
            headers.putIfAbsent(values.getHeaderName().toString().toLowerCase(Locale.ROOT), values.getFirst());
        }
        handler.onHead(new UpstreamHead(response.getResponseCode(), headers));
        if (over) {
            return;
        }
        body = answered.getResponseChannel();
        body.getReadSetter().set(readable -> read());
        read();
    }

    /**
     * Reads what the connection holds, handing it on, until it has nothing more, the handler paused, the
     * end, or {@value #READS_PER_TURN} reads.
     */
    private void read() {
        if (over || reading || body == null) {
            return;
        }
        if (paused) {
            body.suspendReads();
            return;
        }
        reading = true;
        try (PooledByteBuffer pooled = transport.buffers().allocate()) {
            ByteBuffer buffer = pooled.getBuffer();
            for (int turn = 0; !over && !paused; turn++) {
                if (turn == READS_PER_TURN) {
                    body.wakeupReads(); // the rest at the thread's next turn, after what waits for it
                    return;
                }
                buffer.clear();
                int n = body.read(buffer);
                if (n == -1) {
                    end();
                    return;
                }
                if (n == 0) {
                    body.resumeReads();
                    return;
                }
                buffer.flip();
                handler.onData(buffer);
            }
            if (paused && !over) {
                body.suspendReads();
            }
        } catch (IOException e) {
            fail(e);
        } finally {
            reading = false;
        }
    }

    /** The whole answer was read: the connection is kept for the next request if the request too went out whole. */
    private void end() {
        over = true;
        if (requestSent && connection.isOpen()) {
            idle.put(origin, connection);
        } else {
            drop();
        }
        handler.onEnd();
    }

    private void fail(IOException cause) {
        if (over) {
            return;
        }
        over = true;
        StreamConnection socket = drop();
        if (socket instanceof SslConnection tls && !handshaken(tls)) {
            // Undertow closes a connection whose handshake failed and reports only the close.
            SSLHandshakeException refused = new SSLHandshakeException("TLS handshake with " + origin
                    + " failed: its certificate is not trusted or not for this host, or no protocol is shared");
            refused.initCause(cause);
            cause = refused;
        }
        handler.onFailure(cause);
    }

    private static boolean handshaken(SslConnection tls) {
        SSLSession session = tls.getSslSession();
        return session != null && !NO_SESSION.equals(session.getCipherSuite());
    }

    /**
     * Closes the connection now and returns its socket (null if there was none yet). Undertow's own close
     * first waits up to 10 s for the provider to send or close (it drains reads): a provider that sends
     * nothing would keep its connection that long. Taking the socket back from the HTTP layer (its
     * upgrade) and closing it drops it at once.
     */
    private StreamConnection drop() {
        if (connectTimer != null) {
            connectTimer.remove();
        }
        if (connection == null) {
            return null;
        }
        try {
            StreamConnection socket = connection.performUpgrade();
            IoUtils.safeClose(socket);
            return socket;
        } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(connection);
            return null;
        }
    }

    @Override
    public void pause() {
        onThread(() -> paused = true);
    }

    @Override
    public void resume() {
        onThread(() -> {
            paused = false;
            read();
        });
    }

    @Override
    public void cancel() {
        onThread(() -> {
            if (!over) {
                over = true;
                drop();
            }
        });
    }

    private void onThread(Runnable action) {
        if (Thread.currentThread() == thread) {
            action.run();
        } else {
            thread.execute(action);
        }
    }
}
