package dev.tollgate.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One keep-alive HTTP/1.1 connection on a plain socket. The load generator uses it rather than
 * an HTTP client library so that the client's own cost is tiny and identical for every target.
 * Reads Content-Length and chunked answers and notes when the first body byte arrived.
 */
final class HttpConnection implements Closeable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] scratch = new byte[16 * 1024];
    private final StringBuilder line = new StringBuilder(128);

    /** What came back: times are {@link System#nanoTime()}; {@code closed} means open a new connection. */
    record Response(int status, long firstBodyByteNanos, long endNanos, boolean closed) {
    }

    HttpConnection(int port, Duration readTimeout) throws IOException {
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A complete request: a POST of a JSON body, or a GET when {@code jsonBody} is null. */
    static byte[] request(String method, int port, String path, String jsonBody) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n";
        if (jsonBody == null) {
            return (head + "\r\n").getBytes(StandardCharsets.UTF_8);
        }
        byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
        byte[] headers = (head + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[headers.length + body.length];
        System.arraycopy(headers, 0, request, 0, headers.length);
        System.arraycopy(body, 0, request, headers.length, body.length);
        return request;
    }

    /** Sends {@code request} and reads the whole answer; the body is copied into {@code body} unless null. */
    Response exchange(byte[] request, ByteArrayOutputStream body) throws IOException {
        out.write(request);
        out.flush();
        int status = statusCode(readLine());
        long contentLength = -1;
        boolean chunked = false;
        boolean closed = false;
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                throw new IOException("malformed response header: " + header);
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closed = value.equalsIgnoreCase("close");
            }
        }
        long firstBodyByte = contentLength == 0 ? System.nanoTime() : awaitBody();
        if (chunked) {
            for (long size = chunkSize(readLine()); size > 0; size = chunkSize(readLine())) {
                copy(size, body);
                readLine(); // the CRLF after the chunk's data
            }
            while (!readLine().isEmpty()) {
                // trailers: nothing we need
            }
        } else if (contentLength >= 0) {
            copy(contentLength, body);
        } else {
            copyToEnd(body);
            closed = true;
        }
        long end = System.nanoTime();
        return new Response(status, firstBodyByte, end, closed);
    }

    /** Blocks until the first byte after the headers is readable (or the end); returns when that was. */
    private long awaitBody() throws IOException {
        in.mark(1);
        in.read();
        long now = System.nanoTime();
        in.reset();
        return now;
    }

    private void copy(long length, ByteArrayOutputStream body) throws IOException {
        for (long left = length; left > 0; ) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw new EOFException("connection closed " + left + " bytes before the end of the body");
            }
            if (body != null) {
                body.write(scratch, 0, n);
            }
            left -= n;
        }
    }

    private void copyToEnd(ByteArrayOutputStream body) throws IOException {
        for (int n = in.read(scratch); n >= 0; n = in.read(scratch)) {
            if (body != null) {
                body.write(scratch, 0, n);
            }
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed mid-response");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static int statusCode(String statusLine) throws IOException {
        // "HTTP/1.1 200 OK"
        int space = statusLine.indexOf(' ');
        if (!statusLine.startsWith("HTTP/1.") || space < 0 || statusLine.length() < space + 4) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        return Integer.parseInt(statusLine.substring(space + 1, space + 4));
    }

    private static long chunkSize(String sizeLine) throws IOException {
        int end = sizeLine.indexOf(';'); // chunk extensions
        try {
            return Long.parseLong((end < 0 ? sizeLine : sizeLine.substring(0, end)).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size line: " + sizeLine);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
