package dev.tollgate.sidecar.provider.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.provider.EventParser;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Parses AWS's binary event stream ({@code application/vnd.amazon.eventstream}): each message is a
 * prelude (total length, headers length, prelude CRC32), headers, a payload and a message CRC32.
 * An event becomes {@code SseEvent(:event-type, payload)}; an exception or error message becomes
 * an event named {@link #EXCEPTION_PREFIX} + its type with {@code {"message":...}}, which the
 * translator turns into a failure. A corrupt or truncated frame is an {@link IOException}. Bytes are
 * kept until their message is complete: at most one message, whose length the prelude announced.
 */
public final class EventStreamParser implements EventParser {
    public static final String EXCEPTION_PREFIX = "exception:";
    private static final int PRELUDE = 12;
    private static final int MESSAGE_CRC = 4;
    /** Larger than the specification's 24 MB payload plus 128 kB headers: anything above is garbage. */
    private static final int MAX_MESSAGE = 25 * 1024 * 1024;

    /** The message being assembled: its prelude first, then the rest once its length is known. */
    private byte[] message = new byte[PRELUDE];
    private int filled;

    @Override
    public void feed(ByteBuffer bytes, List<SseEvent> out) throws IOException {
        while (bytes.hasRemaining()) {
            int n = Math.min(bytes.remaining(), message.length - filled);
            bytes.get(message, filled, n);
            filled += n;
            if (filled < message.length) {
                return;
            }
            if (message.length == PRELUDE) {
                message = Arrays.copyOf(message, messageLength(message));
                if (filled < message.length) {
                    continue;
                }
            }
            out.add(decode(message));
            message = new byte[PRELUDE];
            filled = 0;
        }
    }

    @Override
    public void end() throws IOException {
        if (filled > 0) {
            throw new IOException("event stream: the stream ended inside a message");
        }
    }

    /** The whole message's length from a prelude whose checksum holds. */
    private static int messageLength(byte[] prelude) throws IOException {
        ByteBuffer preludeBuffer = ByteBuffer.wrap(prelude);
        long totalLength = Integer.toUnsignedLong(preludeBuffer.getInt());
        long headersLength = Integer.toUnsignedLong(preludeBuffer.getInt());
        long preludeCrc = Integer.toUnsignedLong(preludeBuffer.getInt());
        if (crc(prelude, 0, 8) != preludeCrc) {
            throw new IOException("event stream: prelude checksum mismatch");
        }
        if (totalLength < PRELUDE + MESSAGE_CRC || totalLength > MAX_MESSAGE
                || headersLength > totalLength - PRELUDE - MESSAGE_CRC) {
            throw new IOException("event stream: impossible message length " + totalLength);
        }
        return (int) totalLength;
    }

    private static SseEvent decode(byte[] message) throws IOException {
        int headersLength = ByteBuffer.wrap(message, 4, 4).getInt();
        long messageCrc = Integer.toUnsignedLong(ByteBuffer.wrap(message, message.length - MESSAGE_CRC, MESSAGE_CRC).getInt());
        if (crc(message, 0, message.length - MESSAGE_CRC) != messageCrc) {
            throw new IOException("event stream: message checksum mismatch");
        }
        Map<String, String> headers = headers(ByteBuffer.wrap(message, PRELUDE, headersLength).slice());
        int payloadStart = PRELUDE + headersLength;
        String payload = new String(message, payloadStart, message.length - MESSAGE_CRC - payloadStart, StandardCharsets.UTF_8);
        return toEvent(headers, payload);
    }

    private static SseEvent toEvent(Map<String, String> headers, String payload) throws IOException {
        String type = headers.get(":message-type");
        if ("event".equals(type)) {
            return new SseEvent(headers.get(":event-type"), payload);
        }
        if ("exception".equals(type)) {
            return new SseEvent(EXCEPTION_PREFIX + headers.get(":exception-type"), payload);
        }
        if ("error".equals(type)) {
            ObjectNode body = UpstreamJson.MAPPER.createObjectNode().put("message", headers.get(":error-message"));
            return new SseEvent(EXCEPTION_PREFIX + headers.get(":error-code"), body.toString());
        }
        throw new IOException("event stream: unknown message type '" + type + "'");
    }

    /** String headers by name; the other types are skipped by their documented sizes. */
    private static Map<String, String> headers(ByteBuffer buffer) throws IOException {
        Map<String, String> headers = new HashMap<>();
        try {
            while (buffer.hasRemaining()) {
                byte[] name = new byte[buffer.get() & 0xff];
                buffer.get(name);
                int type = buffer.get();
                switch (type) {
                    case 0, 1 -> { }
                    case 2 -> buffer.position(buffer.position() + 1);
                    case 3 -> buffer.position(buffer.position() + 2);
                    case 4 -> buffer.position(buffer.position() + 4);
                    case 5, 8 -> buffer.position(buffer.position() + 8);
                    case 9 -> buffer.position(buffer.position() + 16);
                    case 6, 7 -> {
                        byte[] value = new byte[buffer.getShort() & 0xffff];
                        buffer.get(value);
                        if (type == 7) {
                            headers.put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
                        }
                    }
                    default -> throw new IOException("event stream: unknown header type " + type);
                }
            }
        } catch (RuntimeException overrun) {
            throw new IOException("event stream: headers overrun their length");
        }
        return headers;
    }

    private static long crc(byte[] data, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        return crc.getValue();
    }
}
