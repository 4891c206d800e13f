package dev.tollgate.sidecar.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads server-sent events as the HTML standard defines them, from a blocking stream. */
public final class SseReader implements EventReader {
    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    public SseReader(InputStream in) {
        this.in = in;
    }

    /** The next event, or null when the stream ended; an unterminated last event is dropped. */
    @Override
    public SseEvent next() throws IOException {
        String event = null;
        StringBuilder data = null;
        String text;
        while ((text = readLine()) != null) {
            if (text.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event, data.toString());
                }
                event = null;
                continue;
            }
            if (text.charAt(0) == ':') {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (field.equals("event")) {
                event = value;
            }
        }
        return null;
    }

    private String readLine() throws IOException {
        line.reset();
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return null;
                }
            }
            byte b = buffer[pos++];
            if (b == '\n') {
                int n = line.size();
                String s = line.toString(StandardCharsets.UTF_8);
                return n > 0 && s.charAt(s.length() - 1) == '\r' ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
    }
}
