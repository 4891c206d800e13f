package dev.tollgate.sidecar.testing;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/** XNIO IO threads and buffers of a test's own, for a transport used without a sidecar around it. */
public final class IoThreads implements AutoCloseable {
    private final XnioWorker worker;
    private final ByteBufferPool buffers = new DefaultByteBufferPool(true, 8 * 1024, -1, 4);

    public IoThreads(int threads) {
        try {
            worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, threads,
                    Options.WORKER_TASK_MAX_THREADS, 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public XnioWorker worker() {
        return worker;
    }

    public ByteBufferPool buffers() {
        return buffers;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
