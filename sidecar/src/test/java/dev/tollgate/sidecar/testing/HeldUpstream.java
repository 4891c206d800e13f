package dev.tollgate.sidecar.testing;

import dev.tollgate.sidecar.config.ProviderConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible provider on 127.0.0.1, over plain sockets, that holds its answers: it reads each request
 * and then only waits, noticing when its client (the sidecar) closes the connection. Once {@link #answer()} is
 * called it answers every request (held or new) with OpenAI's documented chat completion.
 */
public final class HeldUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger closedWhileHeld = new AtomicInteger();
    private final CountDownLatch firstHeld = new CountDownLatch(1);
    private final CountDownLatch firstClose = new CountDownLatch(1);
    private final CountDownLatch answering = new CountDownLatch(1);

    public HeldUpstream() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::accept, "held-upstream");
        accept.setDaemon(true);
        accept.start();
    }

    public ProviderConfig provider(String id) {
        return new ProviderConfig(id, "openai-compatible", "http://127.0.0.1:" + server.getLocalPort() + "/v1",
                Configs.PROVIDER_KEY, null, Map.of(), null, null);
    }

    public int received() {
        return received.get();
    }

    /** Connections the sidecar closed while a request on them was held. */
    public int closedWhileHeld() {
        return closedWhileHeld.get();
    }

    /** Until a request is held. */
    public boolean awaitHeldRequest(long seconds) throws InterruptedException {
        return firstHeld.await(seconds, TimeUnit.SECONDS);
    }

    public boolean awaitClosedWhileHeld(long seconds) throws InterruptedException {
        return firstClose.await(seconds, TimeUnit.SECONDS);
    }

    /** From now on every request, held or new, is answered. */
    public void answer() {
        answering.countDown();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                Thread serve = new Thread(() -> serve(connection), "held-upstream-connection");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            while (readRequest(in)) {
                received.incrementAndGet();
                if (answering.getCount() > 0) {
                    firstHeld.countDown();
                    connection.setSoTimeout(50);
                    while (answering.getCount() > 0) {
                        if (closedByClient(in)) {
                            closedWhileHeld.incrementAndGet();
                            firstClose.countDown();
                            return;
                        }
                    }
                    connection.setSoTimeout(0);
                }
                byte[] body = Fixtures.read("openai/chat-completion.json").getBytes(StandardCharsets.UTF_8);
                OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException ignored) {
            // the connection broke while answering: nothing to count
        }
    }

    /** Whether the client closed (end of stream or reset) within the socket's read timeout. */
    private static boolean closedByClient(InputStream in) {
        try {
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** One request's head and its Content-Length body; false at the end of the connection. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            if (head.size() >= 4 && new String(head.toByteArray(), head.size() - 4, 4, StandardCharsets.US_ASCII).equals("\r\n\r\n")) {
                break;
            }
        }
        if (b == -1) {
            return false;
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        return in.readNBytes((int) length).length == length;
    }

    @Override
    public void close() {
        answer();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
