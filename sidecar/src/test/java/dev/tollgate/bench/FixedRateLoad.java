package dev.tollgate.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate over keep-alive connections, one thread each. Request i is due
 * at {@code start + i / rate} whatever happened to earlier ones. When every connection was still
 * busy at that moment, its latency counts from when it was due, so a target's stalls show up in
 * the percentiles instead of slowing the load down (no coordinated omission). When a connection
 * was idle and waiting, latency counts from the actual send, so the generator's own timer
 * wake-up jitter is not charged to the target.
 */
final class FixedRateLoad {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    /** One run. Latencies are of the successful requests; {@code dropped} were never sent (see {@link #run}). */
    record Result(int rate, long requests, long ok, long failed, long dropped, double seconds,
                  Latency total, Latency firstByte, String firstError) {
        double throughput() {
            return seconds == 0 ? 0 : ok / seconds;
        }
    }

    private final int port;
    private final byte[] request;
    private final int rate;
    private final long requests;
    private final long[] total;
    private final long[] firstByte;
    private final AtomicLong nextTicket = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final LongAccumulator lastEnd = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private long start;
    private long giveUpAt;

    private FixedRateLoad(int port, byte[] request, int rate, Duration duration) {
        this.port = port;
        this.request = request;
        this.rate = rate;
        this.requests = rate * duration.toSeconds();
        this.total = new long[Math.toIntExact(requests)];
        this.firstByte = new long[total.length];
        Arrays.fill(total, -1);
    }

    /**
     * Sends {@code rate × duration} requests. A target that falls far behind does not stretch
     * the run without bound: requests not yet sent a whole {@code duration} after the planned
     * end are dropped and reported as such.
     */
    static Result run(int port, byte[] request, int rate, Duration duration, int connections)
            throws IOException, InterruptedException {
        return new FixedRateLoad(port, request, rate, duration).run(duration, connections);
    }

    private Result run(Duration duration, int connections) throws IOException, InterruptedException {
        List<HttpConnection> opened = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                opened.add(new HttpConnection(port, READ_TIMEOUT));
            }
        } catch (IOException e) {
            for (HttpConnection c : opened) {
                c.close();
            }
            throw e;
        }
        start = System.nanoTime() + Duration.ofMillis(20).toNanos(); // every thread is parked by then
        giveUpAt = start + 2 * duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            HttpConnection connection = opened.get(i);
            Thread thread = new Thread(() -> work(connection), "load-" + i);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return result();
    }

    private void work(HttpConnection initial) {
        HttpConnection connection = initial;
        try {
            for (long i = nextTicket.getAndIncrement(); i < requests; i = nextTicket.getAndIncrement()) {
                long due = start + i * 1_000_000_000L / rate;
                long now = System.nanoTime();
                if (now > giveUpAt) {
                    dropped.incrementAndGet();
                    continue;
                }
                long origin = due;
                if (now < due) {
                    sleepUntil(due);
                    origin = System.nanoTime();
                }
                try {
                    if (connection == null) {
                        connection = new HttpConnection(port, READ_TIMEOUT);
                    }
                    HttpConnection.Response response = connection.exchange(request, null);
                    if (response.status() == 200) {
                        total[(int) i] = response.endNanos() - origin;
                        firstByte[(int) i] = response.firstBodyByteNanos() - origin;
                        lastEnd.accumulate(response.endNanos());
                    } else {
                        fail("HTTP " + response.status());
                    }
                    if (response.closed()) {
                        connection.close();
                        connection = null;
                    }
                } catch (IOException e) {
                    fail(e.toString());
                    closeQuietly(connection);
                    connection = null;
                }
            }
        } finally {
            closeQuietly(connection);
        }
    }

    private void fail(String error) {
        failed.incrementAndGet();
        firstError.compareAndSet(null, error);
    }

    private Result result() {
        long[] okTotal = new long[total.length];
        long[] okFirst = new long[total.length];
        int ok = 0;
        for (int i = 0; i < total.length; i++) {
            if (total[i] >= 0) {
                okTotal[ok] = total[i];
                okFirst[ok] = firstByte[i];
                ok++;
            }
        }
        double seconds = ok == 0 ? 0 : (lastEnd.get() - start) / 1e9;
        return new Result(rate, requests, ok, failed.get(), dropped.get(), seconds,
                Latency.of(okTotal, ok), Latency.of(okFirst, ok), firstError.get());
    }

    private static void sleepUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static void closeQuietly(HttpConnection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // Closing a socket that already failed: nothing left to do with it.
            }
        }
    }
}
