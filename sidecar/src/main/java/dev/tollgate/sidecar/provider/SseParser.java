package dev.tollgate.sidecar.provider;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Server-sent events as the HTML standard defines them, parsed as bytes arrive. A line or an event
 * over {@value #MAX_EVENT_BYTES} bytes fails the stream, so a provider sending an endless line
 * cannot grow memory. An unterminated last event is dropped at the end.
 */
public final class SseParser implements EventParser {
    /** Far above any provider's event (a chunk of text or a tool call's arguments). */
    static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;

    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private String event;
    private StringBuilder data;

    @Override
    public void feed(ByteBuffer bytes, List<SseEvent> out) throws IOException {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n' || b == '\r') {
                if (b == '\n' && lastWasCr) {
                    lastWasCr = false; // the second half of CRLF
                    continue;
                }
                lastWasCr = b == '\r';
                String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
                lineLength = 0;
                onLine(text, out);
                continue;
            }
            lastWasCr = false;
            if (lineLength == line.length) {
                if (lineLength + (data == null ? 0 : data.length()) >= MAX_EVENT_BYTES) {
                    throw new IOException("server-sent event larger than " + MAX_EVENT_BYTES + " bytes");
                }
                line = Arrays.copyOf(line, Math.min(MAX_EVENT_BYTES, line.length * 2));
            }
            line[lineLength++] = b;
        }
    }

    private void onLine(String text, List<SseEvent> out) throws IOException {
        if (text.isEmpty()) {
            if (data != null) {
                out.add(new SseEvent(event, data.toString()));
            }
            event = null;
            data = null;
            line = line.length > 4096 ? new byte[256] : line; // a large event's buffer is not kept
            return;
        }
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (field.equals("data")) {
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            if (data.length() > MAX_EVENT_BYTES) {
                throw new IOException("server-sent event larger than " + MAX_EVENT_BYTES + " bytes");
            }
        } else if (field.equals("event")) {
            event = value;
        }
    }

    @Override
    public void end() {
        // An unterminated last event is dropped, as the standard says.
    }
}
