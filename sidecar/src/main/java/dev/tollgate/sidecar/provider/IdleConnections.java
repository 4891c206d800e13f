package dev.tollgate.sidecar.provider;

import io.undertow.client.ClientConnection;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * The kept-alive connections of one IO thread, per provider origin, waiting for their next request.
 * Only that thread touches it, so it needs no lock. The most recently used connection is handed out
 * first, so the ones a quieter load no longer needs stay idle and are closed after {@code idleMs}. A
 * connection the provider closed is never handed out: Undertow's client keeps reading an idle
 * connection and closes it at the provider's end, and {@link #take} skips closed ones.
 */
final class IdleConnections {
    private final XnioIoThread thread;
    private final int maxPerOrigin;
    private final long idleMs;
    private final Map<String, ArrayDeque<Idle>> byOrigin = new HashMap<>();
    private XnioExecutor.Key sweep;

    private record Idle(ClientConnection connection, long sinceNanos) {
    }

    IdleConnections(XnioIoThread thread, int maxPerOrigin, long idleMs) {
        this.thread = thread;
        this.maxPerOrigin = maxPerOrigin;
        this.idleMs = idleMs;
    }

    /** An open idle connection to {@code origin}, or null. */
    ClientConnection take(String origin) {
        ArrayDeque<Idle> idle = byOrigin.get(origin);
        while (idle != null && !idle.isEmpty()) {
            ClientConnection connection = idle.pollFirst().connection();
            if (connection.isOpen()) {
                return connection;
            }
        }
        return null;
    }

    /** Keeps a connection whose exchange completed for the next request, or closes it when the pool is full. */
    void put(String origin, ClientConnection connection) {
        ArrayDeque<Idle> idle = byOrigin.computeIfAbsent(origin, o -> new ArrayDeque<>());
        if (idle.size() >= maxPerOrigin) {
            IoUtils.safeClose(connection);
            return;
        }
        idle.addFirst(new Idle(connection, System.nanoTime()));
        if (sweep == null) {
            sweep = thread.executeAfter(this::sweep, idleMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Closes the connections idle for {@code idleMs} (the oldest are last) and those the provider closed. */
    private void sweep() {
        sweep = null;
        long now = System.nanoTime();
        boolean any = false;
        for (Iterator<ArrayDeque<Idle>> origins = byOrigin.values().iterator(); origins.hasNext(); ) {
            ArrayDeque<Idle> idle = origins.next();
            idle.removeIf(kept -> {
                boolean expired = now - kept.sinceNanos() >= TimeUnit.MILLISECONDS.toNanos(idleMs);
                if (expired || !kept.connection().isOpen()) {
                    IoUtils.safeClose(kept.connection());
                    return true;
                }
                return false;
            });
            if (idle.isEmpty()) {
                origins.remove();
            } else {
                any = true;
            }
        }
        if (any) {
            sweep = thread.executeAfter(this::sweep, idleMs / 2, TimeUnit.MILLISECONDS);
        }
    }

    /** Closes every idle connection (the transport is closing). */
    void closeAll() {
        byOrigin.values().forEach(idle -> idle.forEach(kept -> IoUtils.safeClose(kept.connection())));
        byOrigin.clear();
        if (sweep != null) {
            sweep.remove();
            sweep = null;
        }
    }
}
