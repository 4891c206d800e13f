package dev.tollgate.sidecar.provider.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Test-side Bedrock wire format: an event-stream encoder written from AWS's specification
 * (independent of the reader under test), and fixture streams written one event per line.
 */
public final class BedrockTestSupport {
    private BedrockTestSupport() {
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One message: string headers (type 7), the payload, both CRC32s. */
    public static byte[] frame(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream encodedHeaders = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            encodedHeaders.write(n.length);
            encodedHeaders.writeBytes(n);
            encodedHeaders.write(7);
            encodedHeaders.write(v.length >> 8);
            encodedHeaders.write(v.length & 0xff);
            encodedHeaders.writeBytes(v);
        });
        return rawFrame(encodedHeaders.toByteArray(), payload);
    }

    /** A message around already encoded headers. */
    public static byte[] rawFrame(byte[] h, byte[] payload) {
        int total = 12 + h.length + payload.length + 4;
        ByteBuffer out = ByteBuffer.allocate(total);
        out.putInt(total).putInt(h.length);
        out.putInt((int) crc(out.array(), 8));
        out.put(h).put(payload);
        out.putInt((int) crc(out.array(), total - 4));
        return out.array();
    }

    public static byte[] event(String eventType, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", eventType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        return frame(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] exception(String exceptionType, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":exception-type", exceptionType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "exception");
        return frame(headers, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** A fixture stream: one {@code eventType {json}} per line, each encoded as one frame. */
    public static List<byte[]> frames(String fixture) {
        List<byte[]> frames = new ArrayList<>();
        for (String line : fixture.strip().split("\n")) {
            int space = line.indexOf(' ');
            frames.add(event(line.substring(0, space), line.substring(space + 1)));
        }
        return frames;
    }

    public static byte[] concat(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static long crc(byte[] data, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, length);
        return crc.getValue();
    }
}
