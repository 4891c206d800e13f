package dev.tollgate.operator.lease;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of one port, counting the bytes that pass both ways: what the control API's
 * traffic costs on the wire, TLS and HTTP headers included (the operator and the sidecars count calls, not bytes).
 */
final class ByteCountingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final AtomicLong bytes = new AtomicLong();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    ByteCountingRelay(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "relay-accept");
    }

    int port() {
        return listener.getLocalPort();
    }

    long bytes() {
        return bytes.get();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(server);
                daemon(() -> pump(client, server), "relay-up");
                daemon(() -> pump(server, client), "relay-down");
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
                bytes.addAndGet(read);
            }
        } catch (IOException e) {
            // one side closed: so does the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(ByteCountingRelay::closeQuietly);
    }
}
