package dev.tollgate.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A fixed pool of streaming clients, all on one NIO selector thread so that thousands cost the
 * harness little: each sends a streamed chat request, reads the answer to its end, then sends the
 * next one (on the same kept-alive connection, or a new one when the server closed it). New
 * streams start until {@code duration} is over; those still running then get {@code grace} to end.
 */
final class ConcurrentStreams {
    private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param streams   streams that ended with {@code data: [DONE]} after a 200
     * @param failed    streams that did not: another status, a cut connection, unfinished after the grace
     * @param perSecond ended streams per second of the run
     * @param firstByte time from sending a request to the first byte of its answer
     */
    record Result(long streams, long failed, double perSecond, Latency firstByte, String firstError) {
    }

    private final InetSocketAddress target;
    private final byte[] request;
    private final Selector selector;
    private final long[] firstByteNanos = new long[1 << 20];
    private int samples;
    private long ok;
    private long failed;
    private String firstError;
    private boolean starting = true;

    private ConcurrentStreams(int port, byte[] request) throws IOException {
        this.target = new InetSocketAddress("127.0.0.1", port);
        this.request = request;
        this.selector = Selector.open();
    }

    static Result run(int port, byte[] request, int clients, Duration duration, Duration grace) throws IOException {
        ConcurrentStreams load = new ConcurrentStreams(port, request);
        try {
            return load.drive(clients, duration, grace);
        } finally {
            for (SelectionKey key : load.selector.keys()) {
                key.channel().close();
            }
            load.selector.close();
        }
    }

    private Result drive(int clients, Duration duration, Duration grace) throws IOException {
        List<Client> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client client = new Client();
            all.add(client);
            client.connect();
        }
        long start = System.nanoTime();
        long stopStarting = start + duration.toNanos();
        long giveUp = stopStarting + grace.toNanos();
        long okAtStop = -1;
        while (true) {
            long now = System.nanoTime();
            if (starting && now >= stopStarting) {
                starting = false;
                okAtStop = ok;
            }
            if (!starting && (all.stream().noneMatch(Client::busy) || now >= giveUp)) {
                break;
            }
            selector.select(50);
            for (SelectionKey key : selector.selectedKeys()) {
                ((Client) key.attachment()).ready(key);
            }
            selector.selectedKeys().clear();
        }
        for (Client client : all) {
            if (client.busy()) {
                fail("unfinished " + grace.toSeconds() + " s after the run");
            }
        }
        double seconds = duration.toNanos() / 1e9;
        return new Result(ok, failed, okAtStop / seconds, Latency.of(firstByteNanos, samples), firstError);
    }

    private void fail(String why) {
        failed++;
        if (firstError == null) {
            firstError = why;
        }
    }

    /** One client: a connection, the request being sent and the answer being read. */
    private final class Client {
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private final Answer answer = new Answer();
        private long sentAt;
        private boolean inStream;

        boolean busy() {
            return inStream;
        }

        void connect() throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = channel.register(selector, 0, this);
            inStream = true;
            if (channel.connect(target)) {
                send();
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        }

        void ready(SelectionKey ready) {
            try {
                if (ready.isConnectable()) {
                    channel.finishConnect();
                    send();
                    return;
                }
                if (ready.isWritable()) {
                    write();
                    return;
                }
                if (ready.isReadable()) {
                    read();
                }
            } catch (IOException e) {
                broken(e.toString());
            }
        }

        private void send() throws IOException {
            out = ByteBuffer.wrap(request);
            answer.reset();
            sentAt = System.nanoTime();
            inStream = true;
            write();
        }

        private void write() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void read() throws IOException {
            in.clear();
            int n = channel.read(in);
            if (n == -1) {
                broken("connection closed mid-answer");
                return;
            }
            if (n == 0) {
                return;
            }
            if (!answer.started) {
                answer.started = true;
                if (samples < firstByteNanos.length) {
                    firstByteNanos[samples++] = System.nanoTime() - sentAt;
                }
            }
            in.flip();
            if (!answer.feed(in)) {
                return;
            }
            inStream = false;
            if (answer.status == 200 && answer.sawDone) {
                ok++;
            } else {
                fail("HTTP " + answer.status + (answer.sawDone ? "" : " without data: [DONE]"));
            }
            next(answer.close);
        }

        private void broken(String why) {
            if (inStream) {
                inStream = false;
                fail(why);
            }
            next(true);
        }

        /** The next stream, while the run lasts: on this connection, or a new one. */
        private void next(boolean reconnect) {
            try {
                if (reconnect) {
                    key.cancel();
                    channel.close();
                    if (starting) {
                        connect();
                    }
                } else if (starting) {
                    send();
                } else {
                    key.interestOps(0);
                }
            } catch (IOException e) {
                fail(e.toString());
            }
        }
    }

    /** An HTTP/1.1 answer read as it arrives: its head, then a chunked or Content-Length body. */
    private static final class Answer {
        private final StringBuilder head = new StringBuilder();
        private final StringBuilder sizeLine = new StringBuilder();
        private final byte[] tail = new byte[DONE.length];
        boolean started;
        boolean sawDone;
        boolean close;
        int status;
        private boolean inBody;
        private boolean chunked;
        private long remaining;
        private int crlfToSkip;
        private boolean lastChunk;

        void reset() {
            head.setLength(0);
            sizeLine.setLength(0);
            started = sawDone = close = inBody = chunked = lastChunk = false;
            status = 0;
            remaining = 0;
            crlfToSkip = 0;
        }

        /** True once the answer is complete. */
        boolean feed(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                if (!inBody) {
                    head.append((char) bytes.get());
                    if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                        parseHead();
                        if (!chunked && remaining == 0) {
                            return true;
                        }
                    }
                } else if (chunked) {
                    if (chunk(bytes)) {
                        return true;
                    }
                } else {
                    int n = (int) Math.min(remaining, bytes.remaining());
                    body(bytes, n);
                    remaining -= n;
                    if (remaining == 0) {
                        return true;
                    }
                }
            }
            return false;
        }

        private void parseHead() {
            String text = head.toString().toLowerCase(Locale.ROOT);
            status = Integer.parseInt(text.substring(9, 12));
            chunked = text.contains("\r\ntransfer-encoding: chunked");
            close = text.contains("\r\nconnection: close");
            int at = text.indexOf("\r\ncontent-length:");
            remaining = at < 0 ? 0 : Long.parseLong(text.substring(at + 17, text.indexOf("\r\n", at + 2)).trim());
            inBody = true;
        }

        /** True once the last chunk and its CRLF were read. */
        private boolean chunk(ByteBuffer bytes) {
            if (crlfToSkip > 0) {
                bytes.get();
                crlfToSkip--;
                return lastChunk && crlfToSkip == 0;
            }
            if (remaining > 0) {
                int n = (int) Math.min(remaining, bytes.remaining());
                body(bytes, n);
                remaining -= n;
                if (remaining == 0) {
                    crlfToSkip = 2;
                }
                return false;
            }
            char c = (char) bytes.get();
            if (c != '\n') {
                if (c != '\r') {
                    sizeLine.append(c);
                }
                return false;
            }
            String hex = sizeLine.toString();
            int semicolon = hex.indexOf(';');
            remaining = Long.parseLong((semicolon < 0 ? hex : hex.substring(0, semicolon)).trim(), 16);
            sizeLine.setLength(0);
            if (remaining == 0) {
                lastChunk = true;
                crlfToSkip = 2; // the empty trailer section's CRLF
            }
            return false;
        }

        /** Keeps the last bytes of the body, to see whether it ended with data: [DONE]. */
        private void body(ByteBuffer bytes, int n) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(tail, 1, tail, 0, tail.length - 1);
                tail[tail.length - 1] = bytes.get();
                if (Arrays.equals(tail, DONE)) {
                    sawDone = true;
                }
            }
        }
    }
}
