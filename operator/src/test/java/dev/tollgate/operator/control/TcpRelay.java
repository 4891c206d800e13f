package dev.tollgate.operator.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of one or more ports, as a Service in front of operator replicas: each new
 * connection goes to the next target in turn. It counts the bytes that pass both ways (what the control API's
 * traffic costs on the wire, TLS and HTTP headers included) and can drop every open connection, as a node or a
 * load balancer going away does.
 */
public final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Integer> targets;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public TcpRelay(int... targets) throws IOException {
        this.targets = Arrays.stream(targets).boxed().toList();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "relay-accept");
    }

    public int port() {
        return listener.getLocalPort();
    }

    public long bytes() {
        return bytes.get();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Closes every open connection; the clients connect again, to the next target. */
    public void dropConnections() {
        for (Socket socket : open) {
            closeQuietly(socket);
            open.remove(socket); // only these: a client may already be connecting again
        }
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                int target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
                connections.incrementAndGet();
                Socket server;
                try {
                    server = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
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
            open.remove(from);
            open.remove(to);
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
        dropConnections();
    }
}
