package dev.tollgate.sidecar.metering;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Usage lines as JSON Lines on stdout or appended to a file. A line is encoded on the caller's thread and
 * queued; one writer thread hands whatever is queued to the operating system in a single write, then completes
 * each line's stage. So a caller that waits for its stage knows its line survives a crash of this process,
 * lines never interleave, and concurrent requests share a write. The queue holds at most a line per request in
 * flight (each waits for its own), which the gateway's concurrency limit bounds.
 */
public final class JsonLinesUsageLog implements UsageSink, Closeable {
    private static final Pending END = new Pending(new byte[0], CompletableFuture.completedFuture(null));

    private record Pending(byte[] line, CompletableFuture<Void> written) {
    }

    private final OutputStream out;
    private final boolean ownsTarget;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private boolean closed; // guarded by this
    private boolean failing; // writer thread only; reports a write failure once, not once per line

    private JsonLinesUsageLog(OutputStream target, boolean ownsTarget) {
        this.out = target;
        this.ownsTarget = ownsTarget;
        this.writer = new Thread(this::writeQueued, "tollgate-usage-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes to the process's standard output, which stays open on {@link #close}. */
    public static JsonLinesUsageLog stdout() {
        return new JsonLinesUsageLog(System.out, false);
    }

    /** Appends to the file, creating it if absent; its directory must exist. */
    public static JsonLinesUsageLog appendingTo(Path file) throws IOException {
        return new JsonLinesUsageLog(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
    }

    /** Throws IllegalStateException after {@link #close}: stop serving requests before closing the log. */
    @Override
    public CompletionStage<Void> record(UsageRecord record) {
        Pending pending = new Pending(UsageLine.toJson(record), new CompletableFuture<>());
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("usage log is closed");
            }
            queue.add(pending);
        }
        return pending.written();
    }

    /** Writes every line recorded before, then closes the file (standard output stays open). */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(END);
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (ownsTarget) {
            out.close();
        }
    }

    private void writeQueued() {
        List<Pending> batch = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ended = false;
        while (!ended) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() ends this thread, once every line before it is written
            }
            queue.drainTo(batch);
            bytes.reset();
            for (Pending pending : batch) {
                ended |= pending == END;
                bytes.writeBytes(pending.line());
            }
            write(bytes);
            batch.forEach(pending -> pending.written().complete(null));
            batch.clear();
        }
    }

    private void write(ByteArrayOutputStream bytes) {
        if (bytes.size() == 0) {
            return;
        }
        try {
            bytes.writeTo(out);
            out.flush();
            failing = false;
        } catch (IOException e) {
            // A full disk must not fail requests; say so on stderr once until writing works again.
            if (!failing) {
                failing = true;
                System.err.println("tollgate: cannot write usage lines: " + e.getMessage());
            }
        }
    }
}
