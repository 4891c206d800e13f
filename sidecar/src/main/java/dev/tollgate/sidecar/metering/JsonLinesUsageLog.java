package dev.tollgate.sidecar.metering;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Usage lines as JSON Lines on stdout or appended to a file. Thread-safe and cheap on the request
 * path: a line is encoded outside the lock and copied into a buffer under it; a daemon thread
 * flushes the buffer every {@value #FLUSH_INTERVAL_MS} ms, and {@link #close} flushes the rest.
 * Whole lines only enter the buffer, so lines never interleave.
 */
public final class JsonLinesUsageLog implements UsageSink, Closeable {
    static final long FLUSH_INTERVAL_MS = 100;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final OutputStream out;
    private final boolean ownsTarget;
    private final ScheduledExecutorService flusher;
    private boolean closed; // guarded by this
    private boolean failing; // guarded by this; reports a write failure once, not once per line

    private JsonLinesUsageLog(OutputStream target, boolean ownsTarget) {
        this.out = new BufferedOutputStream(target, BUFFER_BYTES);
        this.ownsTarget = ownsTarget;
        this.flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tollgate-usage-log-flush");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
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
    public void record(UsageRecord record) {
        byte[] line = UsageLine.toJson(record);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("usage log is closed");
            }
            try {
                out.write(line);
            } catch (IOException e) {
                writeFailed(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        flusher.shutdownNow();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (ownsTarget) {
                out.close();
            } else {
                out.flush();
            }
        }
    }

    private synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
            failing = false;
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    /** A full disk must not fail requests; say so on stderr once until writing works again. */
    private void writeFailed(IOException e) {
        if (!failing) {
            failing = true;
            System.err.println("tollgate: cannot write usage lines: " + e.getMessage());
        }
    }
}
